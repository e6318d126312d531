"""Where per-transcript work runs: in this process, in processes on this machine, or on a Dask
cluster ([run] in analysis.cfg, or `qda analyze --workers N` / `--dask SCHEDULER`).

A stage hands `cached_map` its per-transcript work; what the cache lacks is cut into chunks of
consecutive transcripts, and the results come back in the order the chunks were given, whatever
ran where, so every table is the same as a serial run's. The scheduling is Python's process
pool's or Dask's; nothing here schedules work itself.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pipeline.core.cache import cached_many
from pipeline.core.errors import PipelineError
from pipeline.core.progress import progress

T = TypeVar("T")
R = TypeVar("R")

# Below this much text (characters) a process pool costs more than it saves: starting a
# worker and importing spaCy takes about a second, ingest and segment read ~1 MB/s per core.
MIN_PARALLEL_CHARS = 2_000_000
WAIT_FOR_WORKERS = 60  # seconds a scheduler may take to get its first worker


class Serial:
    """Everything in this process (the default for small corpora, and with workers = 1)."""
    name = "this process"
    workers = 1
    used = False  # set when work was sent elsewhere (the run's report says where)

    def worth(self, chars: int) -> bool:
        return False

    def map(self, func: Callable[[T], R], chunks: Sequence[T], desc: str) -> list[R]:
        return [func(c) for c in progress(chunks, desc, unit="part", total=len(chunks))]

    def close(self) -> None:
        pass

    def release(self) -> None:
        """After a stage: let go of what the next stage can cheaply start again."""
        self.close()


class Processes(Serial):
    """A pool of processes on this machine, started on first use and kept for the run.

    On Linux the workers are forked: they start at once with what this process has imported,
    and the work they are sent uses no library threads that forking could leave locked
    (parsing with the standard library and python-docx, spaCy's tokenizer). A pool that
    starts fresh interpreters (forkserver, spawn: macOS, Windows) re-imports the command and
    spaCy in every worker, which took longer than the work on the benchmark corpus."""

    def __init__(self, workers: int, auto: bool):
        self.workers = workers
        self.auto = auto
        self.name = f"{workers} processes"
        self._pool: Any = None

    def worth(self, chars: int) -> bool:
        return not self.auto or chars >= MIN_PARALLEL_CHARS

    def map(self, func: Callable[[T], R], chunks: Sequence[T], desc: str) -> list[R]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        self.used = True
        if self._pool is None:
            method = "fork" if sys.platform.startswith("linux") else None
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context(method))
        try:
            return _in_order(self._pool.submit, as_completed, func, chunks, desc)
        except BrokenProcessPool:
            self.close()
            raise PipelineError(f"a worker process of {desc} died (out of memory, or killed); "
                                f"nothing was written. Run again, with --workers 1 to use "
                                f"this process only") from None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class Dask(Serial):
    """A Dask cluster: `local` starts one on this machine (one worker process per core, on
    the loopback interface); anything else is a scheduler's address (tcp://host:8786). It is
    reached only when there is work to send, so a run with nothing to redo starts nothing.

    Workers need this package installed (the same version); they are sent the text they
    work on and send back their results, so they need no access to the project's files."""

    def __init__(self, address: str, workers: int):
        self.address = address
        self.name = f"Dask ({address})"
        self._want = workers
        self._cluster: Any = None
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self) -> Any:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise PipelineError("--dask needs Dask's distributed scheduler: pip install "
                                "'.[dask]' in the pipeline's checkout (make install "
                                "includes it)") from None
        try:
            if self.address == "local":
                # The dashboard cannot be switched off here; on a free loopback port
                # it is reachable from this machine only and never collides with another.
                self._cluster = LocalCluster(n_workers=self._want, threads_per_worker=1,
                                             processes=True, host="127.0.0.1",
                                             dashboard_address="127.0.0.1:0")
                return Client(self._cluster)
            client = Client(self.address, timeout=10)
        except (OSError, TimeoutError, ValueError) as exc:
            self.close()
            raise PipelineError(f"cannot reach the Dask scheduler at {self.address}: {exc}"
                                ) from None
        try:  # a scheduler without workers would take the work and never return it
            client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
        except TimeoutError:
            client.close()
            raise PipelineError(f"the Dask scheduler at {self.address} has no workers (none "
                                f"joined within {WAIT_FOR_WORKERS} s); start some with "
                                f"`dask worker {self.address}`") from None
        return client

    @property
    def workers(self) -> int:  # type: ignore[override]
        return len(self.client.scheduler_info().get("workers", {})) or self._want

    def worth(self, chars: int) -> bool:
        return True  # asked for by name: always used, so a small test exercises it

    def map(self, func: Callable[[T], R], chunks: Sequence[T], desc: str) -> list[R]:
        from distributed import KilledWorker, as_completed

        self.used = True
        try:
            # pure=False: identical chunks (two empty sites) are still two tasks.
            return _in_order(lambda f, c: self.client.submit(f, c, pure=False), as_completed,
                             func, chunks, desc)
        except KilledWorker:
            raise PipelineError(f"Dask workers at {self.address} died running {desc} (out of "
                                f"memory, or killed); nothing was written") from None

    def release(self) -> None:
        pass  # a cluster takes seconds to start: kept for the run's next stage

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def _in_order(submit: Callable, completed: Callable, func: Callable[[T], R],
              chunks: Sequence[T], desc: str) -> list[R]:
    """Submit every chunk, show progress as they finish (`completed`: the library's
    as_completed), return results in chunk order. A failing chunk raises its own exception
    here (after the others are cancelled)."""
    futures = [submit(func, c) for c in chunks]
    try:
        for future in progress(completed(futures), desc, unit="part", total=len(futures)):
            future.result()  # re-raises a worker's exception at once
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return [f.result() for f in futures]


def make_executor(workers: int = 0, dask: str = "") -> Serial:
    """The executor [run] asks for. workers = 0 means one process per core when the work is
    large enough to gain from it."""
    cores = os.cpu_count() or 1
    if dask:
        return Dask(dask, workers or cores)
    if workers == 1 or (workers == 0 and cores == 1):
        return Serial()
    return Processes(workers or cores, auto=workers == 0)


def chunks_by_weight(weights: Sequence[int], parts: int) -> list[list[int]]:
    """Cut positions 0..n-1 into at most `parts` runs of consecutive positions of about equal
    total weight (consecutive, so concatenating the results keeps the serial order)."""
    total, out, current, acc = sum(weights), [], [], 0
    target = total / max(1, parts)
    for i, w in enumerate(weights):
        current.append(i)
        acc += w
        if acc >= target * (len(out) + 1) and len(out) < parts - 1:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


SERIAL = Serial()


def cached_map(cache: Any, keys: Sequence[str], items: Sequence[T], weights: Sequence[int],
               work: Callable[[list[T]], list[R]], executor: Serial, desc: str) -> list[R]:
    """The value for each key: from the cache, or computed by `work` (a list of items -> a
    list of values, picklable: a module-level function or a partial of one). The missing
    ones are cut into chunks of about equal weight and run on `executor` when it is worth
    it, else here, one item at a time."""
    def compute(todo: list[int]) -> list[R]:
        todo_weights = [weights[i] for i in todo]
        chosen = executor if executor.worth(sum(todo_weights)) else SERIAL
        parts = ([[k] for k in range(len(todo))] if chosen is SERIAL
                 else chunks_by_weight(todo_weights, chosen.workers * 4))
        results = chosen.map(work, [[items[todo[k]] for k in part] for part in parts], desc)
        return [value for result in results for value in result]  # parts are in order

    return cached_many(cache, list(keys), compute)
