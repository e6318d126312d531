import io
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.formats.docx import DocxError, docx_text


def make_docx(path: Path, paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path.read_bytes()


def test_docx_paragraphs_become_lines(tmp_path: Path) -> None:
    paragraphs = ["ID: O6_Principal#1_5.17", "", "Interviewer: Hello, Paul.",
                  "Paul: Hi — it’s “fine”, café.", "Interviewer: Thanks."]
    data = make_docx(tmp_path / "t.docx", paragraphs)
    assert docx_text(data) == ("ID: O6_Principal#1_5.17\n\nInterviewer: Hello, Paul.\n"
                               "Paul: Hi — it’s “fine”, café.\nInterviewer: Thanks.")


def test_docx_runs_of_one_paragraph_are_joined(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Interviewer: ")
    paragraph.add_run("What was ").bold = True
    paragraph.add_run("hard?")
    document.save(str(tmp_path / "t.docx"))
    assert docx_text((tmp_path / "t.docx").read_bytes()) == "Interviewer: What was hard?"


def test_empty_docx_gives_empty_text(tmp_path: Path) -> None:
    document = docx.Document()
    document.save(str(tmp_path / "t.docx"))
    assert docx_text((tmp_path / "t.docx").read_bytes()) == ""


def _zip_without_docx_parts() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    return buffer.getvalue()


@pytest.mark.parametrize("data, detail", [
    (b"Interviewer: this is plain text", "File is not a zip file"),
    (b"", "File is not a zip file"),
    (b"PK\x03\x04truncated", "File is not a zip file"),
    (_zip_without_docx_parts(), "[Content_Types].xml"),
])
def test_non_docx_bytes_raise(data: bytes, detail: str) -> None:
    with pytest.raises(DocxError) as info:
        docx_text(data)
    message = str(info.value)
    assert message.startswith("not a readable DOCX file (")
    assert detail in message


def test_malformed_xml_inside_a_sound_docx_is_a_docx_error_not_a_traceback(
        tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    document = docx.Document()
    document.add_paragraph("Interviewer: Hello?")
    document.save(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<w:p><w:r></w:body>")  # unclosed tags
            out.writestr(item, data)
    with pytest.raises(DocxError, match="the DOCX holds malformed XML"):
        docx_text(buffer.getvalue())
