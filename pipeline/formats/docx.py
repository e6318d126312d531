"""DOCX transcripts: the document's paragraphs, one per line, read as plain text."""
from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import OpcError
from lxml import etree

from pipeline.core.archives import ArchiveError, defused


class DocxError(ValueError):
    pass


def docx_text(data: bytes) -> str:
    try:
        # python-docx reads every part whole: it gets a copy whose members were read within
        # the archive limits, so a zip bomb is refused before it expands.
        safe = defused(data, "")
    except ArchiveError as exc:
        raise DocxError(f"not a readable DOCX file ({exc})") from None
    try:
        document = docx.Document(io.BytesIO(safe))
        return "\n".join(p.text for p in document.paragraphs)
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError) as exc:
        raise DocxError(f"not a readable DOCX file ({exc})") from exc
    except etree.LxmlError as exc:  # a damaged document.xml inside a sound zip
        raise DocxError(f"the DOCX holds malformed XML ({exc}); open and re-save it in a word "
                        f"processor") from exc
