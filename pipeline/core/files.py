"""Writing files safely: atomically, with the permissions a new file would get, and zips with
fixed dates so that the same content always gives the same bytes."""
from __future__ import annotations

import io
import os
import re
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

# Zip entries get this date (zip cannot store earlier ones), so one export equals the next.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
# An Office file's created/modified properties: dropped (a fixed 1980 or the template's 2013
# would be a false date; the real one would change the bytes on every run).
_CORE_DATE = re.compile(rb"<dcterms:(created|modified)\b[^>]*(/>|>[^<]*</dcterms:\1>)")
# The temporary files atomic_write makes: ".<name>.<8 random characters>.tmp".
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def _new_file_mode() -> int:
    """The mode `open()` would give a new file: 0o666 minus the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write via a temporary file in the same folder, then rename over the target.

    An interrupted write leaves the previous file intact. The file keeps the mode of the file
    it replaces (or a new file's default), not mkstemp's private 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else _new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_temporaries(folders: Iterable[Path]) -> list[Path]:
    """Delete the temporary files a killed run (kill -9, power loss) left behind; they may
    hold confidential text. Call only while holding the run lock: a running write's file
    looks the same. Returns what was removed."""
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob(".*.tmp")):
            if _TEMPORARY.match(path.name) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def write_bytes(path: Path, data: bytes) -> Path:
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
    return path


def deterministic_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, data) entries in the given order, every entry dated FIXED_DATE."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            folder = name.endswith("/")
            info.compress_type = zipfile.ZIP_STORED if folder else zipfile.ZIP_DEFLATED
            info.external_attr = (0o40755 << 16 | 0x10) if folder else 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def fix_office_dates(data: bytes) -> bytes:
    """An Office file (DOCX, XLSX) rewritten with fixed zip dates and without created/modified
    properties, so equal content gives equal bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(name, archive.read(name)) for name in archive.namelist()]
    return deterministic_zip(
        (name, _CORE_DATE.sub(b"", body) if name == "docProps/core.xml" else body)
        for name, body in entries)
