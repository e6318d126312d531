"""DOCX transcripts: the document's paragraphs, one per line, read as plain text."""
from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import OpcError
from lxml import etree


class DocxError(ValueError):
    pass


def docx_text(data: bytes) -> str:
    try:
        document = docx.Document(io.BytesIO(data))
        return "\n".join(p.text for p in document.paragraphs)
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError) as exc:
        raise DocxError(f"not a readable DOCX file ({exc})") from exc
    except etree.LxmlError as exc:  # a damaged document.xml inside a sound zip
        raise DocxError(f"the DOCX holds malformed XML ({exc}); open and re-save it in a word "
                        f"processor") from exc
