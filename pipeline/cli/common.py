"""Options and helpers shared by the command-line modules.

Command modules import only click and light core modules at the top; anything that loads
pandas, spaCy or scikit-learn is imported inside the command, so `qda -h` starts at once.
"""
from __future__ import annotations

import errno
import functools
import shlex
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline.core.errors import InputError, PipelineError, Problem

if TYPE_CHECKING:
    from pipeline.core.catalog import Catalog

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 99}


def print_problems(problems: Iterable[Problem], err: bool = False) -> None:
    for p in sorted(problems):
        colour = "red" if p.is_error else "yellow"
        click.echo(click.style(str(p), fg=colour), err=err)


def project_options(func: Callable | None = None, *, lock: bool = True) -> Callable:
    """Options every command shares: project folder, config file, overrides, quiet. The
    command receives `catalog`, `cfg` and `quiet`; the project's errors become messages.

    The command holds the outputs lock (pipeline/core/lock.py) from start to end, so two
    commands never write outputs/ at once and what one reads there is one run's tables. That
    is the default, so that no command that writes can forget it; a command that writes
    nothing there (or, like `member-check serve`, runs for hours writing only into
    codebooks/) is declared with `@project_options(lock=False)`.
    """
    if func is None:
        return functools.partial(project_options, lock=lock)

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
                **kwargs: Any) -> Any:
        from pipeline.core.catalog import Catalog
        from pipeline.core.config import load_config

        def call() -> Any:
            cfg_file = config_path if config_path.is_absolute() else project / config_path
            cfg = load_config(cfg_file, overrides)
            catalog = Catalog(project, cfg.paths)
            if not lock:
                return func(catalog=catalog, cfg=cfg, quiet=quiet, **kwargs)
            # The waiting message is printed even with --quiet: a silent wait looks like a hang.
            with catalog.lock(_command_line(overrides), lambda s: click.echo(s, err=True)):
                return func(catalog=catalog, cfg=cfg, quiet=quiet, **kwargs)
        return as_messages(call)
    wrapper.takes_lock = lock  # type: ignore[attr-defined]  # for tests/cli/test_lock.py
    return wrapper


def as_messages(call: Callable[[], Any]) -> Any:
    """Run `call`; the project's errors, bad values and a failing disk become messages."""
    from pipeline.codebook import CodebookError

    try:
        return call()
    except InputError as exc:
        print_problems(exc.problems, err=True)
        raise click.ClickException(
            f"{sum(p.is_error for p in exc.problems)} error(s) in the input; nothing was "
            f"written. Fix them and run again (`qda validate` lists them).") from None
    except CodebookError as exc:
        print_problems(exc.problems, err=True)
        raise click.ClickException("the codebook has errors (see above)") from None
    except (PipelineError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # disk full, read-only folder, no permission
        raise click.ClickException(os_message(exc)) from None


_OS_HINTS = {errno.ENOSPC: "the disk is full: free some space",
             errno.EDQUOT: "the disk quota is used up: free some space",
             errno.EROFS: "the folder is on a read-only file system",
             errno.EACCES: "you have no permission there: check the folder's owner and mode",
             errno.EPERM: "the operation is not permitted there"}


def os_message(exc: OSError) -> str:
    """What a failed read or write means for the researcher, and that nothing is half-done."""
    where = f" {exc.filename}" if exc.filename else ""
    hint = _OS_HINTS.get(exc.errno or 0, "")
    return (f"cannot write or read{where}: {exc.strerror or exc}"
            f"{' (' + hint + ')' if hint else ''}. Every file is either its old or its new "
            "version (writes are atomic); once fixed, run again and the unfinished stages run.")


def _command_line(overrides: Iterable[str]) -> str:
    """What the lock file records as the command: `qda analyze --set ...`."""
    ctx = click.get_current_context(silent=True)
    words = ctx.command_path.split() if ctx is not None else ["qda"]
    return shlex.join(words + [w for item in overrides for w in ("--set", item)])


def command_provenance(command: str, cfg: Any, catalog: Catalog,
                       tables: Iterable[str] = ()) -> dict[str, Any]:
    """What a report or export came from: the command, the parameters, the input tables."""
    from pipeline.core.provenance import versions

    inputs = {t: (catalog.provenance(t) or {}).get("data_hash") for t in tables}
    return {"command": command, "config": cfg.as_dict(), "inputs": inputs,
            "versions": versions()}
