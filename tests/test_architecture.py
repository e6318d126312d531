"""The house rules, enforced: imports point down (import-linter contracts in setup.cfg), only
the CLI prints or exits, module sizes stay readable, and the CLI starts without loading the
heavy libraries."""
from __future__ import annotations

import ast
import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

from tests.fixtures import ROOT

PACKAGE = ROOT / "pipeline"
HEAVY = ("spacy", "sklearn", "matplotlib", "docx", "pandas", "pyarrow", "scipy", "numpy")


def test_import_contracts_are_kept() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = lint_imports(config_filename=str(ROOT / "setup.cfg"), no_cache=True,
                            no_logo=True)
    report = out.getvalue()
    assert code == 0, report
    assert report.count(" KEPT") == 4


def _calls_that_talk(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = (func.id if isinstance(func, ast.Name) else
                    f"{getattr(func.value, 'id', '?')}.{func.attr}"
                    if isinstance(func, ast.Attribute) else "")
            if name in {"print", "exit", "quit", "sys.exit", "os._exit", "click.echo",
                        "click.secho", "click.prompt", "click.confirm"}:
                found.append((node.lineno, name))
        elif isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name) and target.id == "SystemExit":
                found.append((node.lineno, "raise SystemExit"))
    return found


def test_only_the_cli_prints_or_exits() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("pipeline/cli/"):
            continue
        for line, call in _calls_that_talk(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{rel}:{line}: {call}")
    assert offenders == []


def test_the_checker_catches_a_print() -> None:  # the test above can fail
    tree = ast.parse("import sys\nprint('x')\nsys.exit(1)\nraise SystemExit(2)\n")
    assert sorted(_calls_that_talk(tree)) == [(2, "print"), (3, "sys.exit"),
                                              (4, "raise SystemExit")]


def test_modules_and_functions_stay_readable() -> None:
    long_modules, long_functions = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        if text.count("\n") > 400:
            long_modules.append(rel)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.end_lineno - node.lineno + 1 > 50:
                    long_functions.append(f"{rel}:{node.lineno} {node.name}")
    assert long_modules == [] and long_functions == []


@pytest.mark.parametrize("args", [["--version"], ["-h"], ["analyze", "-h"],
                                  ["export", "-h"], ["member-check", "serve", "-h"]])
def test_the_cli_starts_without_heavy_libraries(args: list[str]) -> None:
    """`python -X importtime -m pipeline --version` lists every module imported."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipeline", *args],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert imported & set(HEAVY) == set()
    assert "qda" in out.stdout


def test_every_package_says_what_it_is_for() -> None:
    for init in sorted(PACKAGE.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, init.relative_to(ROOT)


def test_tests_mirror_the_package_folders() -> None:
    folders = {p.parent.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py")}
    missing = [str(f) for f in sorted(folders) if f != Path(".")
               and not (ROOT / "tests" / f).is_dir()]
    assert missing == []
