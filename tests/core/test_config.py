from pathlib import Path

import pytest

from pipeline.core.config import load_config, stage_params
from pipeline.core.errors import ConfigError
from pipeline.stages.segment.stage import SegmentParams


def test_defaults() -> None:
    cfg = load_config(None)
    assert stage_params(cfg, "segment", SegmentParams) == SegmentParams()
    assert cfg["paths"]["outputs"] == "outputs"


def test_user_file_then_overrides(tmp_path: Path) -> None:
    user = tmp_path / "analysis.cfg"
    user.write_text("[segment]\nmax_words = 80\nlang = \"en\"\n")
    cfg = load_config(user, ["segment.batch_size=8"])
    assert stage_params(cfg, "segment", SegmentParams) == SegmentParams(80, "en", 8)


def test_missing_user_file_means_no_overrides(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.cfg") == load_config(None)


@pytest.mark.parametrize("override, fragment", [
    ("segment.max_wrds=5", "unknown key(s) max_wrds in [segment]"),
    ("segmnt.max_words=5", "unknown section [segmnt]"),
    ("max_words=5", "expected section.key=value"),
])
def test_bad_overrides(override: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(None, [override])
    assert fragment in str(info.value)


def test_unknown_key_in_user_file_names_the_file(tmp_path: Path) -> None:
    user = tmp_path / "analysis.cfg"
    user.write_text("[segment]\nmax_word = 80\n")
    with pytest.raises(ConfigError, match="analysis.cfg: unknown key"):
        load_config(user)
