from pipeline.core.progress import progress


def test_progress_yields_every_item_in_order() -> None:
    assert list(progress(iter([3, 1, 2]), "test", total=3)) == [3, 1, 2]
