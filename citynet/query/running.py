"""Run a query where Ctrl-C, a time limit and a memory cap can stop it.

pyoxigraph releases the GIL while it evaluates a query, so a worker thread evaluates (and writes
the results) while the main thread waits in short slices: Python delivers Ctrl-C to the main
thread only, and between slices the main thread checks the clock and the process's resident
memory. A chain of ``BIND(CONCAT(?x, ?x))`` doubles a string forty times: without the memory
cap it grows to tens of gigabytes until an allocation fails and Rust aborts the process (SIGABRT).

The worker itself cannot be stopped: Python cannot kill a thread and Oxigraph has no hook to
cancel an evaluation. So once the main thread has reported why it stopped, the process ends with
:func:`end_process` (``os._exit``): a normal exit would run the interpreter's shutdown while the
worker still evaluates, which waits for it or crashes when the worker touches freed state.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, BinaryIO, TypeVar

from citynet.errors import QueryError
from citynet.query.order import Column, sort_rows
from citynet.query.output import write_results
from citynet.query.queries import run_query, to_rows
from citynet.store.remote import RemoteStore
from citynet.store.transport import parse_seconds

T = TypeVar("T")
SLICE = 0.05  # seconds between checks of the clock and the memory
MEMORY_CEILING = 4 * 2**30  # default cap on the growth of resident memory during one query
INTERRUPTED = 130  # the shell's code for a process ended by SIGINT


class StoppedError(QueryError):
    """The query was stopped by its time limit or the memory cap; its worker still runs."""


def resident_bytes() -> int:
    """The process's resident memory in bytes (0 where /proc is missing).

    >>> resident_bytes() > 0
    True
    """
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def physical_bytes() -> int:
    """The machine's physical memory in bytes (the ceiling when it is unknown)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return MEMORY_CEILING * 2


def read_memory_limit(env: dict[str, str] | os._Environ) -> int:
    """Bytes a query may add to resident memory: ``CITYNET_MEMORY_LIMIT`` (MB), else 4 GiB or half
    the machine's memory, whichever is less.

    >>> read_memory_limit({"CITYNET_MEMORY_LIMIT": "300"})
    314572800
    >>> read_memory_limit({"CITYNET_MEMORY_LIMIT": "lots"})
    Traceback (most recent call last):
    citynet.errors.QueryError: CITYNET_MEMORY_LIMIT is "lots" - expected a number of megabytes above 0
    """
    value = env.get("CITYNET_MEMORY_LIMIT")
    if value is None:
        return min(MEMORY_CEILING, physical_bytes() // 2)
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = math.nan
    if not (math.isfinite(megabytes) and megabytes > 0):
        raise QueryError(f'CITYNET_MEMORY_LIMIT is "{value}" - expected a number of megabytes above 0')
    return int(megabytes * 2**20)


def read_seconds(value: str | None, name: str = "--timeout") -> float | None:
    """A time limit given as text: a number of seconds above 0, at most a day; None stays None.

    >>> read_seconds("2.5"), read_seconds(None)
    (2.5, None)
    >>> read_seconds("inf")
    Traceback (most recent call last):
    citynet.errors.QueryError: --timeout is "inf" - expected a number of seconds above 0, at most 86400
    """
    if value is None:
        return None
    return parse_seconds(value, name, QueryError)


def run_bounded(
    work: Callable[[], T],
    timeout: float | None = None,
    memory: int | None = None,
    limit_name: str = "--timeout",
) -> T:
    """``work()`` in a worker thread; raises :class:`StoppedError` past ``timeout`` seconds or once
    resident memory grew by more than ``memory`` bytes. Ctrl-C raises KeyboardInterrupt at once.

    >>> run_bounded(lambda: 6 * 7, timeout=5)
    42
    >>> run_bounded(lambda: time.sleep(3), timeout=0.2)
    Traceback (most recent call last):
    citynet.query.running.StoppedError: query stopped after 0.2 s (--timeout)
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the main thread, which raises it
            outcome["error"] = drop_tracebacks(exc)

    worker = threading.Thread(target=target, name="citynet-query", daemon=True)
    started, baseline = time.monotonic(), resident_bytes()
    worker.start()
    while worker.is_alive():
        worker.join(SLICE)
        if timeout is not None and time.monotonic() - started > timeout:
            raise StoppedError(f"query stopped after {timeout:g} s ({limit_name})")
        if memory is not None and resident_bytes() - baseline > memory:
            raise StoppedError(
                f"query stopped: it needed more than {memory // 2**20} MB of memory "
                "(CITYNET_MEMORY_LIMIT, in MB) - ask for fewer or smaller results"
            )
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def drop_tracebacks(exc: BaseException) -> BaseException:
    """The exception without its tracebacks (and those it chains), so that the frames they hold
    are freed in the worker: pyoxigraph's results may be dropped only by the thread that made them
    (``RuntimeError: … PyQuerySolutions is unsendable, but is being dropped on another thread``).
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return exc


def end_process(code: int) -> None:
    """End the process now, without the interpreter's shutdown (see the module's docstring)."""
    sys.stderr.flush()
    os._exit(code)


def answer_bounded(
    reader: Any,
    text: str,
    substitutions: dict | None,
    output: BinaryIO | None,
    fmt: str,
    timeout: float | str | None,
    order: tuple[Column, ...] = (),
    where: str = "the query",
) -> list[dict[str, Any]] | None:
    """Rows, or the results written to ``output``, under the time limit and the memory cap; in
    ``order`` when a named query declares one (:mod:`citynet.query.order`; ``where`` names it).

    The engine's own failures (a SERVICE that cannot be reached or read) are OSErrors without an
    errno, unlike those of writing the output. Past the limits StoppedError is raised while the
    evaluation still runs in its thread (see the module's docstring): the caller ends the process.
    ``timeout`` is seconds, or text as given to ``--timeout``; None: CITYNET_TIMEOUT, else no limit.
    """
    name = "--timeout" if timeout is not None else "CITYNET_TIMEOUT"
    given = str(timeout) if timeout is not None else os.environ.get("CITYNET_TIMEOUT")
    seconds = read_seconds(given, name)
    if isinstance(reader, RemoteStore) and seconds is not None:  # each request has it as its deadline
        seconds = seconds + 1 if timeout is not None else None

    def work() -> list[dict[str, Any]] | None:
        try:
            if output is None:
                variables, rows = to_rows(run_query(reader, text, substitutions))
                return sort_rows(order, variables, rows, where)
            write_results(run_query(reader, text, substitutions), fmt, output, order, where)
            return None
        except OSError as exc:
            if exc.errno is not None:
                raise
            raise QueryError(f"the query failed: {str(exc).splitlines()[0] if str(exc) else exc}") from None

    return run_bounded(work, seconds, read_memory_limit(os.environ), name)
