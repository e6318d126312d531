"""Zip archives from outside (.qdpx projects, DOCX transcripts, XLSX sheets), opened without
trusting them.

An 800 KB zip can hold a member that expands to 800 MB (deflate reaches 1000:1, bzip2 far
more). Before anything is decompressed, every member we read is checked against limits on its
declared size and compression ratio (and only deflate is accepted); it is then read through a
bounded stream, so a header that lies about the size cannot get past the limit either, and
the archive's total is bounded too. A library that reads an archive itself (python-docx,
openpyxl) gets a `defused` copy. Every failure is an `ArchiveError` naming the file and the
member.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    member: int = 200 * MiB   # one member expanded (a .qde project, a document.xml)
    total: int = 500 * MiB    # everything read from one archive, expanded
    ratio: int = 200          # expansion over compressed size; real files stay under 40
    ratio_floor: int = 1 * MiB   # small members may be as compressible as they like


LIMITS = Limits()
# What a damaged or unusual zip raises while it is opened or read: bad CRC or headers, a
# corrupt or truncated stream, encryption.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
              RuntimeError, ValueError)


class ArchiveError(ValueError):
    """An archive we will not read; the message names the file (when given) and the member."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)


def _size(n: int) -> str:
    return f"{n / MiB:.0f} MiB" if n >= MiB else f"{n} bytes"


def open_archive(data: bytes, path: str) -> zipfile.ZipFile:
    """The zip in `data`; ArchiveError when it is no readable zip."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        # unnamed, the caller says what the file should have been: the zip module's reason
        raise ArchiveError(path, f"not a readable zip archive ({exc})" if path else str(exc)
                           ) from None


def check_member(info: zipfile.ZipInfo, path: str, limits: Limits = LIMITS) -> None:
    """Refuse a member whose compression, declared size or ratio says it is a bomb."""
    limit = limits.member
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # bzip2 and LZMA expand without bound in one step; Office files and REFI-QDA
        # projects use deflate (or none)
        raise ArchiveError(path, f"{info.filename} uses compression method "
                           f"{info.compress_type}, not deflate; not read")
    if info.file_size > limit:
        raise ArchiveError(path, f"{info.filename} would expand to {_size(info.file_size)}, "
                           f"over the limit of {_size(limit)}; not read (a damaged file or a "
                           f"zip bomb?)")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.ratio_floor and ratio > limits.ratio:
        raise ArchiveError(path, f"{info.filename} would expand {ratio:.0f}-fold (from "
                           f"{_size(info.compress_size)} to {_size(info.file_size)}), more "
                           f"than any real file does ({limits.ratio}-fold); not read (a zip "
                           f"bomb?)")


class BoundedReader:
    """Reads members of one archive within the limits, counting what it has read in total."""

    CHUNK = 64 * 1024   # zipfile inflates at most this much per step when asked for this much

    def __init__(self, archive: zipfile.ZipFile, path: str, limits: Limits = LIMITS):
        self.archive, self.path, self.limits = archive, path, limits
        self.spent = 0

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The member's bytes; ArchiveError when it is refused, damaged or too large."""
        check_member(info, self.path, self.limits)
        left = self.limits.total - self.spent
        if info.file_size > left:
            raise ArchiveError(self.path, f"{info.filename} would take what is read from the "
                               f"archive over the limit of {_size(self.limits.total)}; not "
                               f"read (a zip bomb?)")
        limit = min(self.limits.member, left)
        out = bytearray()
        try:
            # Small steps: asked for everything at once, zipfile inflates all the compressed
            # data in one go and only then cuts it to the declared size, so a header that
            # understates the size would get a bomb expanded in memory.
            with self.archive.open(info) as stream:
                while len(out) <= limit and (chunk := stream.read(
                        min(self.CHUNK, limit + 1 - len(out)))):
                    out += chunk
        except ZIP_ERRORS as exc:
            raise ArchiveError(self.path, f"{info.filename} cannot be read ({exc})") from None
        if len(out) > limit:
            raise ArchiveError(self.path, f"{info.filename} expands beyond {_size(limit)}; "
                               f"not read (a zip bomb?)")
        self.spent += len(out)
        return bytes(out)


def defused(data: bytes, path: str, limits: Limits = LIMITS) -> bytes:
    """The archive rewritten uncompressed, every member read within the limits: for a
    library (python-docx, openpyxl) that reads members whole, which would expand a bomb
    before anything could stop it. ArchiveError when a member is refused."""
    with open_archive(data, path) as archive:
        infos = {i.filename: i for i in archive.infolist()}   # a repeated name: the last
        for info in infos.values():   # the member to blame, before the total
            check_member(info, path, limits)
        total = sum(i.file_size for i in infos.values())
        if total > limits.total:
            raise ArchiveError(path, f"the archive would expand to {_size(total)}, over the "
                               f"limit of {_size(limits.total)}; not read (a zip bomb?)")
        reader = BoundedReader(archive, path, limits)
        members = [(info, reader.read(info)) for info in infos.values()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        for info, body in members:
            out.writestr(zipfile.ZipInfo(info.filename, info.date_time), body)
    return buffer.getvalue()
