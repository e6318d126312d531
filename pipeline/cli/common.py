"""Options and helpers shared by the command-line modules."""
from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import click

from pipeline.cli.output import (
    print_problems,
)
from pipeline.codebook.model import CodebookError
from pipeline.core.catalog import Catalog, atomic_write
from pipeline.core.config import load_config
from pipeline.core.errors import InputError, PipelineError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 99}


def project_options(func: Callable) -> Callable:
    """Options every command shares: project folder, config file, overrides, quiet."""
    @click.option("--project", "-p", type=click.Path(file_okay=False, path_type=Path),
                  default=".", show_default=True, help="Project folder (holds corpus/).")
    @click.option("--config", "-c", "config_path", type=click.Path(path_type=Path),
                  default="analysis.cfg", show_default=True,
                  help="Parameter overrides; a missing file means none.")
    @click.option("--set", "overrides", multiple=True, metavar="SECTION.KEY=VALUE",
                  help="Override one parameter, e.g. --set segment.max_words=100.")
    @click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
    @functools.wraps(func)
    def wrapper(project: Path, config_path: Path, overrides: tuple[str, ...], quiet: bool,
                **kwargs):
        try:
            cfg_file = config_path if config_path.is_absolute() else project / config_path
            cfg = load_config(cfg_file, overrides)
            catalog = Catalog(project, cfg["paths"])
            return func(catalog=catalog, cfg=cfg, quiet=quiet, **kwargs)
        except InputError as exc:
            print_problems(exc.problems, err=True)
            raise click.ClickException(
                f"{sum(p.is_error for p in exc.problems)} error(s) in the input; nothing was "
                f"written. Fix them and run again (`qda validate` lists them).") from None
        except CodebookError as exc:
            print_problems(exc.problems, err=True)
            raise click.ClickException("the codebook has errors (see above)") from None
        except (PipelineError, FileNotFoundError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
    return wrapper



def write_bytes(catalog: Catalog, output: Path | None, default: str, data: bytes) -> str:
    """Write to `output`, or to outputs/<default>; returns the path written."""
    return str(catalog.write_bytes(output if output is not None else
                                   catalog.outputs / default, data))


def write_new(path: Path, data: bytes) -> None:
    """Write a file a researcher will own; never replace an existing one."""
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose another name with -o "
                                   f"(researcher-written files are never overwritten)")
    atomic_write(path, lambda tmp: tmp.write_bytes(data))


