"""The registry: wiring, lazy references, declared code, and every output has a contract."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.core.inputs import RAW_INPUTS
from pipeline.core.provenance import PACKAGE_ROOT
from pipeline.core.registry import (
    BY_NAME,
    OUTPUTS,
    STAGES,
    check_registry,
    upstream,
    with_renders,
)
from pipeline.core.schemas import FILE_SETS, SCHEMAS


def test_wiring_is_consistent() -> None:
    assert check_registry() == []
    produced = set(RAW_INPUTS)
    for stage in STAGES:
        assert set(stage.inputs) <= produced, stage.name
        produced |= set(stage.outputs)


def test_every_output_is_a_table_with_a_schema_or_a_declared_file_set() -> None:
    assert len(OUTPUTS) == len(set(OUTPUTS))
    assert set(OUTPUTS) == set(SCHEMAS) | set(FILE_SETS)
    assert not set(SCHEMAS) & set(FILE_SETS)


def test_upstream_and_renders() -> None:
    assert [s.name for s in upstream(["segment"])] == ["ingest", "segment"]
    assert [s.name for s in upstream(["ingest"])] == ["ingest"]
    assert [s.name for s in upstream(["code"])] == ["ingest", "segment", "code"]
    before_packets = [s.name for s in STAGES
                      if s.name not in ("packets", "checks", "packet_documents")]
    assert [s.name for s in upstream(["documents"])] == before_packets[:-1]
    assert before_packets[-3:] == ["figures", "documents", "report"]
    # `qda cases` also draws the figures, writes the case documents and the report (not the
    # packets)
    assert [s.name for s in with_renders(upstream(["cases"]))] == before_packets
    assert [s.name for s in upstream(["packet_documents"])][-3:] == [
        "cases", "packets", "packet_documents"]
    assert [s.name for s in with_renders(upstream(["code"]))] == ["ingest", "segment", "code"]
    assert BY_NAME["segment"].cached and BY_NAME["figures"].render


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_references_resolve(stage) -> None:
    assert callable(stage.load())
    assert stage.params_class().__dataclass_params__.frozen


def test_reading_the_registry_and_the_parameters_loads_no_heavy_library() -> None:
    code = ("import sys\nfrom pipeline.core.config import load_config\nload_config(None)\n"
            "heavy = {'spacy', 'sklearn', 'matplotlib', 'docx', 'pandas', 'pyarrow'}\n"
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=PACKAGE_ROOT.parent)
    assert out.stdout.strip() == "[]"


# ---- declared code: every module a stage imports is part of its fingerprint --------------
MACHINERY = {"pipeline", "pipeline.core.errors", "pipeline.core.progress",
             "pipeline.core.cache", "pipeline.core.inputs", "pipeline.core.config",
             "pipeline.core.files", "pipeline.core.registry",
             # where per-transcript work runs; tests/core/test_parallel_runs.py shows it
             # gives the serial run's tables
             "pipeline.core.parallel"}


def _module_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _source(module: str) -> Path:
    """The file that runs when `module` is imported (a package's __init__)."""
    base = PACKAGE_ROOT.parent.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def _imports(module: str) -> set[str]:
    found = set()
    for path in [_source(module)]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found |= {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
    known = {_module_of(p) for p in PACKAGE_ROOT.rglob("*.py")}
    return {m for m in found if m in known}


def _covered(module: str, declared: tuple[str, ...]) -> bool:
    """Declared itself or inside a declared package; a package whose __init__ only runs
    because a declared submodule is imported from it counts as covered too."""
    return any(module == d or module.startswith(d + ".") or d.startswith(module + ".")
               for d in declared)


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_declared_code_covers_every_module_the_stage_imports(stage) -> None:
    todo = [stage.load().__module__]  # the module that defines it (past lazy packages)
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo += sorted(_imports(module))
    missing = sorted(m for m in seen - MACHINERY if not _covered(m, stage.code))
    assert missing == [], f"{stage.name} runs code it does not declare: {missing}"
