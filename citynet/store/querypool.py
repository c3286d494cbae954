"""Queries evaluated in worker processes that can be killed: the engine of ``citynet serve``.

pyoxigraph has no time limit and no way to stop a query once it runs (Ctrl-C waits for it), and
some queries crash the process that runs them (a stack overflow, an allocation that fails). So
each query runs in one of a few worker processes, ``python -m citynet.store.querypool``, each holding
the store open read-only:

- a query still running at the time limit gets its worker killed (SIGKILL) and replaced;
- a worker that dies (SIGSEGV, SIGABRT, killed by the kernel) is replaced; only its request fails;
- each worker's address space is limited (``RLIMIT_AS``), so a query that doubles a string forty
  times fails its worker, not the machine;
- a worker writes the results into a buffer that refuses to grow past ``max_bytes``;
- at most ``size`` queries run at once and ``queue`` more wait; past that a request is refused;
- before each query a worker compares the store's version with the one it opened and reopens
  the store when a ``citynet load`` has replaced it.

The parent and a worker talk over a socket pair with :mod:`multiprocessing.connection`: a job is
a :class:`Job`, the answer an :class:`Answer`. Workers are plain subprocesses rather than
:mod:`multiprocessing` children: spawning one under ``python -m citynet`` would run the command
again in the child, and forking a threaded server is unsafe.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from citynet.errors import CitynetError, StoreError
from citynet.store.embedded import EmbeddedStore
from citynet.store.folder import store_version

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Job:
    """A query to evaluate and the media type to serialize its results in."""

    text: str
    media_type: str
    max_bytes: int


@dataclass(frozen=True)
class Answer:
    """An HTTP status, a content type and a body (a one-line message unless the status is 200)."""

    status: int
    content_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        """A one-line plain-text error.

        >>> Answer.error(400, "bad query").body
        b'bad query\\n'
        """
        return cls(status, "text/plain; charset=utf-8", f"{message}\n".encode())


class PoolError(CitynetError):
    """A query could not be answered by the pool: ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class ResultTooLarge(ValueError):  # noqa: N818 - raised through pyoxigraph, which keeps the type
    """Raised by :class:`BoundedBuffer` when the results pass the limit."""


class BoundedBuffer(io.RawIOBase):
    """A byte buffer that refuses to grow past ``limit`` bytes.

    >>> buffer = BoundedBuffer(4)
    >>> buffer.write(b"abc")
    3
    >>> buffer.write(b"de")
    Traceback (most recent call last):
    citynet.store.querypool.ResultTooLarge: the results pass 4 bytes
    """

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit, self.chunks, self.size = limit, [], 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge(f"the results pass {self.limit:,} bytes")
        self.chunks.append(bytes(data))
        return len(data)

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)


class Reader:
    """A worker's handle on the store, reopened when a load has replaced it."""

    def __init__(self, store_dir: Path) -> None:
        self.store_dir, self.version, self.store = store_dir, "", None

    def current(self) -> EmbeddedStore:
        """The store as the last load left it (raises StoreError when there is none)."""
        version = store_version(self.store_dir)
        if self.store is None or version != self.version:
            self.store = None
            self.store = EmbeddedStore.open(self.store_dir)
            self.version = version
        return self.store

    def answer(self, job: Job) -> Answer:
        """Evaluate a job; every failure is an error answer, never an exception."""
        try:
            store = self.current()
            if job.text == COUNT:
                return Answer(200, "text/plain", str(store.count_quads()).encode())  # reads every quad
            buffer = BoundedBuffer(job.max_bytes)
            serialize(store.query(job.text), buffer, job.media_type)
            return Answer(200, job.media_type, buffer.getvalue())
        except ResultTooLarge:
            return Answer.error(
                500,
                f"the results pass the limit of {job.max_bytes:,} bytes "
                "(--max-result-bytes) - add a LIMIT or select fewer columns",
            )
        except SyntaxError as exc:
            return Answer.error(400, f"malformed query: {first_line(exc)}")
        except StoreError as exc:
            return Answer.error(500, str(exc))
        except MemoryError:
            return Answer.error(500, "the query ran out of memory - simplify it")
        except (OSError, RuntimeError, ValueError) as exc:
            return Answer.error(500, f"the query failed: {first_line(exc)}")


def serialize(results: object, output: BoundedBuffer, media_type: str) -> None:
    """Write query results in the media type (a SPARQL results format or an RDF format)."""
    if isinstance(results, ox.QueryTriples):
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        if rdf_format is None:
            raise ValueError(f"no RDF format {media_type}")
        results.serialize(output, format=rdf_format)
        return
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is None:
        raise ValueError(f"no results format {media_type}")
    results.serialize(output, format=results_format)  # type: ignore[attr-defined]


def first_line(exc: BaseException) -> str:
    """An exception's message on one line.

    >>> first_line(SyntaxError("error at 1:3\\n  ^"))
    'error at 1:3'
    """
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space (allocations past it fail) and die with the parent."""
    if max_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    with contextlib.suppress(OSError, AttributeError):  # Linux only: no orphan keeps running
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def run_worker(fd: int, store_dir: Path, max_bytes: int) -> None:
    """A worker's loop: receive a job, send its answer, until the parent closes the connection."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    limit_memory(max_bytes)
    connection = Connection(fd)
    reader = Reader(store_dir)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(reader.answer(job))


class Worker:
    """One worker process and the parent's end of its connection."""

    def __init__(self, store_dir: Path, memory: int) -> None:
        ours, theirs = socket.socketpair()
        fd = theirs.fileno()
        command = [sys.executable, "-m", "citynet.store.querypool", str(fd), str(store_dir), str(memory)]
        self.process = subprocess.Popen(command, pass_fds=(fd,), stdin=subprocess.DEVNULL)
        theirs.close()
        self.connection = Connection(ours.detach())

    def ask(self, job: Job, timeout: float) -> Answer:
        """Send a job and wait for its answer; kill the worker past the timeout."""
        try:
            self.connection.send(job)
            if not self.connection.poll(timeout):
                self.stop()
                raise PoolError(
                    503,
                    f"the query was stopped at the time limit of {timeout:g} s "
                    "(--timeout) - simplify it or add a LIMIT",
                )
            return self.connection.recv()
        except (EOFError, OSError):
            self.stop()
            raise PoolError(
                500,
                f"the query crashed its worker ({describe_exit(self.process.returncode)}) - "
                "the worker was restarted; simplify the query",
            ) from None

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def swollen(self, memory: int) -> bool:
        """Whether the worker holds more than three quarters of its address-space limit (``VmSize``).

        Memory a big query took is not all given back: a worker left near its limit would abort
        (SIGABRT) on the next small allocation, failing a small query. The pool replaces it first.
        """
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return False
        sizes = [int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmSize:")]
        return bool(memory and sizes and sizes[0] > memory // 4 * 3)

    def stop(self) -> None:
        """Kill the process (a query can't be interrupted otherwise) and reap it."""
        if self.alive:
            self.process.kill()
        self.process.wait()
        self.connection.close()


def describe_exit(code: int | None) -> str:
    """How a worker ended.

    >>> describe_exit(-11), describe_exit(-6), describe_exit(1)
    ('SIGSEGV', 'SIGABRT, likely out of memory', 'exit code 1')
    """
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        return f"{name}, likely out of memory" if name == "SIGABRT" else name
    return f"exit code {code}"


class Pool:
    """``size`` workers over one store; ``queue`` more requests may wait for one."""

    def __init__(
        self, store_dir: Path, size: int = 2, waiting: int = 8, timeout: float = 30, memory: int = 4 << 30
    ) -> None:
        self.store_dir, self.timeout, self.memory = store_dir, timeout, memory
        self.admitted = threading.BoundedSemaphore(size + waiting)
        self.lock = threading.Lock()  # guards the list of workers
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.workers = [Worker(store_dir, memory) for _ in range(size)]
        for worker in self.workers:
            self.idle.put(worker)

    def run(self, job: Job) -> Answer:
        """The job's answer from the next free worker (PoolError when busy, late or crashed)."""
        if not self.admitted.acquire(blocking=False):
            raise PoolError(503, "the server is busy - try again in a few seconds")
        try:
            try:
                worker = self.idle.get(timeout=self.timeout)
            except queue.Empty:
                raise PoolError(503, "the server is busy - try again in a few seconds") from None
            try:
                worker = worker if worker.alive else self.replace(worker)
                return worker.ask(job, self.timeout)
            finally:
                healthy = worker.alive and not worker.swollen(self.memory)
                self.idle.put(worker if healthy else self.replace(worker))
        finally:
            self.admitted.release()

    def replace(self, worker: Worker) -> Worker:
        """A new worker in place of a dead or killed one."""
        worker.stop()
        new = Worker(self.store_dir, self.memory)
        with self.lock:
            self.workers = [new if w is worker else w for w in self.workers]
        return new

    def check(self) -> int:
        """Open the store in every worker and count its quads; StoreError if one fails."""
        counts = []
        for _ in range(len(self.workers)):
            try:
                answer = self.run(Job(COUNT, "text/plain", 64))
            except PoolError as exc:
                raise StoreError(f'cannot read the store "{self.store_dir}": {exc}') from None
            if answer.status != 200:
                raise StoreError(" ".join(answer.body.decode().split()))
            counts.append(int(answer.body))
        return counts[0]

    def close(self) -> None:
        """Stop every worker, a query it runs with it."""
        with self.lock:
            for worker in self.workers:
                worker.stop()


if __name__ == "__main__":  # run as citynet.store.querypool, so that the answers pickle under that name
    from citynet.store.querypool import run_worker as run_imported

    run_imported(int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
