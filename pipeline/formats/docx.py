"""DOCX transcripts: the document's paragraphs, one per line, read as plain text."""
from __future__ import annotations

import io
import zipfile

import docx


class DocxError(ValueError):
    pass


def docx_text(data: bytes) -> str:
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocxError(f"not a readable DOCX file ({exc})") from exc
    return "\n".join(p.text for p in document.paragraphs)
