"""A command-line build that ends for its caller when the site is written, not when the
system has taken its memory back.

A build at 10,000 articles ends holding 250-350 MB, which the system takes 20-25 ms to free
once the process exits; whoever started the command (a shell, a CI step, a script) waits for
that too. So ``helpcenter build`` forks before the build begins, while the process is small:
the child builds, lets go of the terminal and pipes (a reader sees them end with the command),
and hands its exit status to the parent, which exits with it at once. The child's memory is
freed after; by then the site, the cache and the lock are all written and released.

The child never outlives the command otherwise: the system kills it when the parent ends
(``PR_SET_PDEATHSIG``), so a command killed outright (SIGKILL) stops its build. Where that
cannot be asked for (systems other than Linux), the build runs in the command's process.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import traceback
from collections.abc import Callable
from typing import NoReturn

from . import _libc

_prctl = _libc.function("prctl") if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1
_child = False


def available() -> bool:
    """Whether builds can run detached here (fork, and a child killed with its parent)."""
    return _prctl is not None and hasattr(os, "fork")


def in_child() -> bool:
    """Whether this process is a build run by ``run_detached`` (its caller waits for another)."""
    return _child


def cpu_seconds() -> float:
    """User and system time of this process and the children it waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_detached(work: Callable[[], int]) -> NoReturn:
    """Run ``work`` in a forked child and end this process with its exit status, as soon as the
    child has one. Signals that stop a command (SIGTERM, SIGHUP) are passed on to the child;
    Ctrl-C reaches it from the terminal, as it reaches this process."""
    global _child
    parent = os.getpid()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        _child = True
        os.close(read)
        assert _prctl is not None
        if _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0 or os.getppid() != parent:
            os._exit(1)  # cannot be tied to the command, or it ended already
        _finish(_status(work), write)
    os.close(write)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda received, _: os.kill(pid, received))
    status = os.read(read, 1)
    if status:
        os._exit(status[0])
    # No status: the child was killed. End the same way.
    _, waited = os.waitpid(pid, 0)
    if os.WIFSIGNALED(waited):
        number = os.WTERMSIG(waited)
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    os._exit(os.waitstatus_to_exitcode(waited) & 0xFF)


def _status(work: Callable[[], int]) -> int:
    """``work``'s exit status, as the interpreter would have made it of how it ended."""
    try:
        return work()
    except SystemExit as exc:  # argparse's usage errors and --help
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    except KeyboardInterrupt:
        return 130
    except BaseException:
        traceback.print_exc()
        return 1


def _finish(status: int, write: int) -> NoReturn:
    """Flush the output, let go of the terminal and pipes, hand over the status and exit."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(quiet, fd)
    os.write(write, bytes([status & 0xFF]))
    os._exit(status)
