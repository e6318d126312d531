from pipeline.core.registry import BY_NAME, RAW_INPUTS, STAGES, upstream


def test_every_input_is_produced_upstream_or_is_raw() -> None:
    produced = set(RAW_INPUTS)
    for stage in STAGES:
        assert set(stage.inputs) <= produced, stage.name
        produced |= set(stage.outputs)


def test_outputs_are_unique() -> None:
    outs = [o for s in STAGES for o in s.outputs]
    assert len(outs) == len(set(outs))


def test_upstream() -> None:
    assert [s.name for s in upstream("segment")] == ["ingest", "segment"]
    assert [s.name for s in upstream("ingest")] == ["ingest"]
    assert [s.name for s in upstream("code")] == ["ingest", "segment", "code"]
    assert BY_NAME["segment"].cached
