"""One build of a site at a time: a lock file in the cache folder."""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def site_lock(cache_dir: Path, *, wait_message: bool = True) -> Iterator[None]:
    """Hold an exclusive lock; a second build waits (and says so) until the first is done.

    The lock is released by the kernel if the holder dies, so a killed build never leaves it
    stuck.
    """
    path = cache_dir / "lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            if wait_message:
                who = f" (pid {holder})" if holder else ""
                print(f"Waiting for another build of this site{who} to finish…", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)
