"""Work on both cores: forked worker processes (the GIL binds Markdown and Jinja to one core).

Workers are forked, so they inherit the job and its data instead of receiving them pickled;
only each task's small argument and its result cross the process boundary. Where fork is not
available, or the work is small, the same function runs in-process.
"""

from __future__ import annotations

import gc
import mmap
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any, Generic, TypeVar

from . import _libc

T = TypeVar("T")
R = TypeVar("R")

_job: Callable[[Any], Any] | None = None
"""The function forked workers run. Set just before forking and cleared after: it exists only
because a forked child can inherit it, which spares pickling the data it closes over."""


def _call(argument: Any) -> Any:
    assert _job is not None
    return _job(argument)


def workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


def fork_available() -> bool:
    return hasattr(os, "fork")


_malloc_trim = _libc.function("malloc_trim")
_mallopt = _libc.function("mallopt")
_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4


@contextmanager
def heap_kept() -> Iterator[None]:
    """Large blocks from the heap, and freed memory kept for reuse, while an incremental build runs.

    glibc maps each large block (numpy arrays: the postings are 67 MB at 10,000 articles) anew
    and unmaps it when it is freed, so each pass over them faulted their pages in again: about
    0.2 s of kernel time in an incremental build on the benchmark machine. From the heap, freed
    blocks are reused. Not for first builds: there the heap's fragmentation raised the peak (by
    9% at 30,000 articles). glibc's defaults come back afterwards (``serve`` idles between builds)."""
    if _mallopt is None:
        yield
        return
    _mallopt(_M_MMAP_MAX, 0)
    _mallopt(_M_TRIM_THRESHOLD, 1 << 30)
    try:
        yield
    finally:
        _mallopt(_M_MMAP_MAX, 65536)
        _mallopt(_M_TRIM_THRESHOLD, 128 * 1024)


def release_memory() -> None:
    """Give freed heap memory back to the system. After a stage drops its temporaries, glibc
    keeps the free space in the process (a large first build held 150 MB it no longer used);
    and a forked child shares only what the parent still holds."""
    if _malloc_trim is not None:
        _malloc_trim(0)


def _freeze() -> None:
    """Before forking: the cyclic garbage collector writes to the header of every object it
    scans, which would copy each inherited page into the child (and, after the fork, into the
    parent). Frozen objects are never scanned; a build is short-lived, so never collecting the
    cycles among them costs nothing that matters."""
    gc.freeze()
    release_memory()


def map_forked(
    function: Callable[[T], R], items: Sequence[T], *, minimum: int = 2, here: bool = False, first: Callable[[], None] | None = None
) -> Iterator[R]:
    """``map(function, items)`` on all cores, results in order; in-process for small inputs.

    ``here``: this process takes part, with one worker fewer, each process taking the next item
    whenever it is free; results come in no set order (a worker's once it has finished). For
    work that touches much of this process's memory (rendering pages reads every article's
    entry): each forked worker ends up with its own copy of most of it (refcounts are written),
    so one worker fewer is that much less memory at the build's peak. ``first`` (with ``here``)
    runs in this process once the workers are forked, before it takes items: work that could
    not run in a thread while they were forked, and that they need not wait for."""
    global _job
    processes = workers()
    if processes < 2 or len(items) < minimum or not fork_available():
        if first is not None:
            first()
        yield from map(function, items)
        return
    _freeze()
    if here:
        yield from _shared(function, items, processes - 1, first)
        return
    import multiprocessing  # here: most incremental builds never start a pool (7 ms)

    context = multiprocessing.get_context("fork")
    _job = function
    try:
        with context.Pool(processes) as pool:
            yield from pool.imap(_call, items, chunksize=1)
    finally:
        _job = None


def _shared(function: Callable[[T], R], items: Sequence[T], count: int, first: Callable[[], None] | None) -> Iterator[R]:
    """``items`` shared by this process and ``count`` forked workers, each taking the next index
    from a counter in memory they share; a worker sends all its results, pickled, when done.

    The counter is guarded by a token in a pipe: taking it is reading its one byte (the others
    wait), giving it back is writing it. (multiprocessing's shared value cost an addition 7 ms
    of imports before the fork.)"""
    following = mmap.mmap(-1, 8)  # anonymous and shared: the forked workers see the same bytes
    token, give_back = os.pipe()
    os.write(give_back, b".")

    def take() -> int:
        os.read(token, 1)
        try:
            index = int.from_bytes(following[:8], "little")
            following[:8] = (index + 1).to_bytes(8, "little")
        finally:
            os.write(give_back, b".")
        return index

    children: list[tuple[int, int]] = []
    try:
        for _ in range(count):
            read, write = os.pipe()
            pid = _fork(partial(_work, function, items, take, read, write))
            os.close(write)
            children.append((pid, read))
        if first is not None:
            first()
        while (index := take()) < len(items):
            yield function(items[index])
        while children:
            pid, read = children[0]
            with os.fdopen(read, "rb") as handle:
                data = handle.read()
            _exiting.append(pid)  # its results are in; it may still be exiting (see reap)
            children.pop(0)
            outcome, value = pickle.loads(data) if data else ("error", RuntimeError("a build worker stopped without a result"))
            if outcome == "error":
                raise value
            yield from value
    except BaseException:
        reap()  # a failure leaves no worker behind
        raise
    finally:
        for pid, read in children:  # this process failed, or its caller stopped: end the others
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read)
        os.close(token)
        os.close(give_back)
        following.close()


_exiting: list[int] = []
"""Forked workers that sent their results, not yet reaped: a worker's exit (freeing the memory it
copied) took 7-10 ms at 10,000 articles, which this process no longer waits for there."""


def reap() -> None:
    """Wait for the workers that sent their results (done by the end of a build)."""
    while _exiting:
        os.waitpid(_exiting.pop(), 0)


def _work(function: Callable[[T], R], items: Sequence[T], take: Callable[[], int], read: int, write: int) -> None:
    """A worker of ``_shared``: its share, then its results (or what went wrong) down the pipe."""
    os.close(read)
    try:
        results = []
        while (index := take()) < len(items):
            results.append(function(items[index]))
        data = pickle.dumps(("ok", results), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:
        try:
            data = pickle.dumps(("error", exc))
        except Exception:
            data = pickle.dumps(("error", RuntimeError("".join(traceback.format_exception(exc)))))
    with os.fdopen(write, "wb") as handle:
        handle.write(data)


def _fork(function: Callable[[], None]) -> int:
    """Fork a child that runs ``function`` and exits (1 if it raised) without running this
    process's cleanup; returns its pid."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            function()
            code = 0
        finally:
            os._exit(code)
    return pid


class Background:
    """A function running in a forked child; ``wait()`` raises if it failed."""

    def __init__(self, function: Callable[[], None] | None = None):
        self._pid = 0
        self._status: int | None = None
        if function is None:  # nothing to do: already finished
            self._status = 0
            return
        if not fork_available() or workers() < 2:
            function()
            self._status = 0
            return
        _freeze()
        self._pid = _fork(function)

    def running(self) -> bool:
        if self._status is None:
            pid, status = os.waitpid(self._pid, os.WNOHANG)
            if pid:
                self._status = os.waitstatus_to_exitcode(status)
        return self._status is None

    def wait(self) -> None:
        if self._status is None:
            _, status = os.waitpid(self._pid, 0)
            self._status = os.waitstatus_to_exitcode(status)
        if self._status != 0:
            raise RuntimeError("a background build step failed (see the messages above)")


class InThread(Generic[R]):
    """A function running in a thread of this process, for work that mostly releases the GIL
    (reading and writing large files, checksums): the build's own work goes on meanwhile.
    Nothing may fork while one runs (a forked child would inherit its locks, held)."""

    def __init__(self, function: Callable[[], R]):
        self._result: R | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function,), daemon=True)
        self._thread.start()

    def _run(self, function: Callable[[], R]) -> None:
        try:
            self._result = function()
        except BaseException as exc:  # raised again in the caller's thread, by result()
            self._error = exc

    def result(self) -> R:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
