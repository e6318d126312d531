"""Configuration: dataclass defaults, the user's file, --set, and typed validation."""
from pathlib import Path

import pytest
from confection import Config as ConfectionConfig

from pipeline.core.config import PathParams, describe, field_docs, load_config
from pipeline.core.errors import ConfigError
from pipeline.core.registry import STAGES
from pipeline.stages.compare import CompareParams
from pipeline.stages.segment import SegmentParams


def test_defaults_come_from_the_dataclasses() -> None:
    cfg = load_config(None)
    assert cfg.params("segment") == SegmentParams()
    assert cfg.paths == PathParams() and cfg.paths.outputs == "outputs"
    assert list(cfg.sections) == ["paths", "run"] + [s.name for s in STAGES]


def test_user_file_then_overrides(tmp_path: Path) -> None:
    user = tmp_path / "analysis.cfg"
    user.write_text("[segment]\nmax_words = 80\nlang = \"en\"\n")
    cfg = load_config(user, ["segment.batch_size=8"])
    assert cfg.params("segment") == SegmentParams(max_words=80, lang="en", batch_size=8)


def test_params_are_keyword_only_and_frozen() -> None:
    with pytest.raises(TypeError):
        SegmentParams(80)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        SegmentParams().max_words = 3  # type: ignore[misc]


def test_missing_user_file_means_no_overrides(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.cfg") == load_config(None)


@pytest.mark.parametrize("override, message", [
    ("segment.max_words=abc", "--set: segment.max_words must be an integer (got 'abc')"),
    ("segment.max_words=-5", "--set: segment.max_words must be between 1 and 10000 (got -5)"),
    ("compare.join_threshold=7", "--set: compare.join_threshold must be between 0.0 and 1.0 "
                                 "(got 7)"),
    ("code.span_min_overlap=0", "--set: code.span_min_overlap must be above 0.0 and at most "
                                "1.0 (got 0)"),
    ("represent.method=bert",
     "--set: represent.method: Input should be 'lsa', 'tfidf' or 'embeddings'"),
    ("segment.max_wrds=5", "unknown key(s) max_wrds in [segment]"),
    ("segmnt.max_words=5", "unknown section [segmnt]"),
    ("max_words=5", "expected section.key=value"),
])
def test_bad_overrides_are_refused_with_field_and_range(override: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(None, [override])
    assert message in str(info.value)


def test_a_bad_value_in_the_user_file_names_the_file(tmp_path: Path) -> None:
    user = tmp_path / "analysis.cfg"
    user.write_text("[compare]\nmerge_threshold = 1.5\n")
    with pytest.raises(ConfigError, match=r"analysis.cfg: compare.merge_threshold must be "
                                          r"between 0.0 and 1.0 \(got 1.5\)"):
        load_config(user)


def test_unknown_key_in_user_file_names_the_file(tmp_path: Path) -> None:
    user = tmp_path / "analysis.cfg"
    user.write_text("[segment]\nmax_word = 80\n")
    with pytest.raises(ConfigError, match="analysis.cfg: unknown key"):
        load_config(user)


def test_lists_from_a_file_become_tuples(tmp_path: Path) -> None:
    user = tmp_path / "analysis.cfg"
    user.write_text('[themes]\ncategory_statuses = ["accepted"]\n')
    assert load_config(user).params("themes").category_statuses == ("accepted",)


def test_every_parameter_is_documented_with_its_range() -> None:
    for stage in STAGES:
        for name, info in field_docs(stage.params_class()).items():
            assert info["description"], f"[{stage.name}] {name} has no description"
    join = field_docs(CompareParams)["join_threshold"]
    assert (join["ge"], join["le"], join["default"]) == (0.0, 1.0, 0.5)


def test_describe_is_a_config_file_that_reads_back(tmp_path: Path) -> None:
    cfg = load_config(None, ["segment.max_words=77"])
    text = describe(cfg)
    assert "# A participant turn of up to max_words words is one segment" in text
    assert "(between 1 and 10000)" in text
    assert "max_words = 77" in text
    (tmp_path / "analysis.cfg").write_text(text)
    assert ConfectionConfig().from_str(text)["segment"]["max_words"] == 77
    assert load_config(tmp_path / "analysis.cfg") == cfg
