"""`qda member-check serve`: the member-check session page for one site's round, served
locally for the meeting until Ctrl+C (every answer is saved as it is given)."""
from __future__ import annotations

import re
import secrets
import signal
import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from pipeline.cli.common import CONTEXT, project_options

if TYPE_CHECKING:
    from pipeline.core.catalog import Catalog
    from pipeline.core.config import Config

LOOPBACK = ("127.0.0.1", "localhost", "::1")
THREADS = 4


@click.command("serve", context_settings=CONTEXT)
@click.option("--site", required=True, metavar="SITE", help="The site whose round is held.")
@click.option("--round", "round_no", type=click.IntRange(min=1), default=None,
              help="Round number (default: the site's latest prepared round).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep the default unless the page must be reached "
                   "from another machine.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--token", default=None, metavar="TOKEN",
              help="The session's access token (default: a new random one; for tests).")
# No outputs lock: the session runs for the whole meeting and writes only into
# codebooks/member_checks/; holding the lock would stop every `qda analyze` meanwhile.
@project_options(lock=False)
def serve(catalog: Catalog, cfg: Config, quiet: bool, site: str, round_no: int | None,
          host: str, port: int, token: str | None) -> None:
    """Run the member-check session page for SITE's round until Ctrl+C.

    Open the printed link (it holds the session's token) in a browser on this machine. The
    page shows the round's items one by one, records each response with who gave it, and
    stores it at once in codebooks/member_checks/<site>/round-<n>/session/; it resumes at
    the first unanswered item when started again.

    \b
    Example:
      qda member-check serve --site O3
    """
    from pipeline.web.app import create_app

    if token is not None and not re.fullmatch(r"[A-Za-z0-9_-]{16,}", token):
        raise click.BadParameter("at least 16 letters, digits, '-' or '_'", param_hint="--token")
    token = token or secrets.token_urlsafe(24)
    app = create_app(catalog, site, round_no, token, cfg.params("report").demonstration)
    session = app.config["SESSION"]
    bound, run = _server(app, host, port)
    if host not in LOOPBACK:
        click.echo(click.style(f"Listening on {host}: anyone who can reach this machine and "
                               f"has the link can answer.", fg="yellow"), err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Member-check session for {site}, round {session.round_no}: "
               f"http://{shown}:{bound}/{site}/?token={token}  (Ctrl+C ends it; every "
               f"answer is already saved)")
    _interruptible()
    try:
        run()
    except KeyboardInterrupt:
        pass
    click.echo("Session ended; the answers are in "
               f"{catalog.rel(session.folder)}/.")


def _interruptible() -> None:
    """Ctrl+C (SIGINT) ends the session however the command was started: a process started
    in the background by a shell, or by a program that blocks or ignores SIGINT, passes that
    on, and the server would then run until killed."""
    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set handlers (and receives the signal)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _server(app: object, host: str, port: int) -> tuple[int, Callable[[], None]]:
    """(port bound, function serving until interrupted), with waitress. The socket is bound
    first, so a port in use is a clear error before any server thread starts."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.create_server((host, port), family=family)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host} port {port} ({exc.strerror or exc}): it is taken or "
            f"not available; choose another with --port, or --port 0 for a free one") from None
    bound = sock.getsockname()[1]
    from waitress import create_server

    # waitress logs no request lines, which matters: the URLs carry the token
    server = create_server(app, sockets=[sock], threads=THREADS, ident="qda-member-check",
                           clear_untrusted_proxy_headers=True)
    return bound, server.run
