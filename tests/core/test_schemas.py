import pandas as pd
import pyarrow as pa
import pytest

from pipeline.core.schemas import SCHEMAS, SchemaError, to_arrow


def test_contract_columns_of_design_section_5() -> None:
    assert {"citation_id", "site", "role", "seq", "interview_date", "source_path", "n_words",
            "sha256"} <= set(SCHEMAS["transcripts"])
    assert {"segment_id", "citation_id", "site", "role", "speaker", "turn", "start_char",
            "end_char", "text"} <= set(SCHEMAS["segments"])


def test_types_are_cast_and_extra_columns_kept() -> None:
    df = pd.DataFrame({"site": ["O1"], "name": ["A"], "kind": ["district"],
                       "n_transcripts": [1], "n_participants": [2], "extra": [1.5]})
    table = to_arrow("sites", df)
    assert table.schema.field("n_transcripts").type == pa.int64()
    assert table.schema.field("extra").type == pa.float64()


def test_uncastable_column_is_an_error() -> None:
    df = pd.DataFrame({"site": ["O1"], "name": ["A"], "kind": ["district"],
                       "n_transcripts": ["many"], "n_participants": [2]})
    with pytest.raises(SchemaError, match="sites"):
        to_arrow("sites", df)
