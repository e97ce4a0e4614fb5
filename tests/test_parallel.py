"""map_forked: the same results as map, on forked workers, with or without this process."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpcenter import parallel


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_results_in_order_from_workers(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    results = list(parallel.map_forked(_square_and_pid, list(range(20)), minimum=2))
    assert [r for r, _ in results] == [n * n for n in range(20)]
    assert os.getpid() not in {pid for _, pid in results}


def _slow_square_and_pid(n: int) -> tuple[int, int]:
    time.sleep(0.01)
    return n * n, os.getpid()


@pytest.mark.parametrize("processes", [2, 3])
def test_this_process_takes_part_when_asked(monkeypatch, processes: int) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: processes)
    results = list(parallel.map_forked(_slow_square_and_pid, list(range(60)), minimum=2, here=True))
    assert sorted(r for r, _ in results) == [n * n for n in range(60)]
    pids = [pid for _, pid in results]
    # here and in each of the processes - 1 workers, each taking a fair share
    assert len(set(pids)) == processes and all(pids.count(p) >= 5 for p in set(pids))


def test_work_done_here_first_leaves_the_items_to_the_worker_meanwhile(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    done_first: list[float] = []
    results = list(
        parallel.map_forked(_slow_square_and_pid, list(range(40)), minimum=2, here=True, first=lambda: done_first.append(time.sleep(0.25) or 1))
    )
    assert done_first and sorted(r for r, _ in results) == [n * n for n in range(40)]
    pids = [pid for _, pid in results]
    assert pids.count(os.getpid()) < 20 < len(pids) - pids.count(os.getpid())


def test_a_worker_that_sent_its_results_is_waited_for_later(monkeypatch) -> None:
    """Its exit (freeing the memory it copied) took 7-10 ms of an addition at 10,000 articles:
    the results are taken at once, and the worker is waited for by ``reap``."""
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    parallel.reap()  # those of the tests before
    results = list(parallel.map_forked(_slow_square_and_pid, list(range(40)), minimum=2, here=True))
    workers = {pid for _, pid in results} - {os.getpid()}
    assert len(workers) == 1 and parallel._exiting == list(workers)
    parallel.reap()
    assert parallel._exiting == []
    for pid in workers:  # waited for, so gone
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def _fails(parent: int, seen: Path, where: str, n: int) -> int:
    """Records which process took item ``n``; raises in the worker or here (``where``)."""
    with seen.open("a") as handle:
        handle.write(f"{os.getpid()}\n")
    time.sleep(0.005)
    if (os.getpid() == parent) == (where == "here") and n >= 0:
        raise ValueError(f"item {n} failed {'here' if where == 'here' else 'in a worker'}")
    return n


@pytest.mark.parametrize("where", ["worker", "here"])
def test_a_failure_anywhere_is_raised_here_and_leaves_no_worker(monkeypatch, tmp_path: Path, where: str) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    me, seen = os.getpid(), tmp_path / "pids"
    function = functools.partial(_fails, me, seen, where)
    with pytest.raises(ValueError, match="failed"):
        list(parallel.map_forked(function, list(range(40)), minimum=2, here=True))
    workers = {int(line) for line in seen.read_text().split()} - {me}
    assert len(workers) == 1
    for pid in workers:  # waited for (no zombie left), so gone
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_small_inputs_stay_in_this_process(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    results = list(parallel.map_forked(_square_and_pid, [3], minimum=2, here=True))
    assert results == [(9, os.getpid())]


def test_sharing_items_with_a_worker_imports_no_multiprocessing() -> None:
    """The counter the processes share is a mapped page guarded by a token in a pipe: an
    addition forks its listing worker without importing multiprocessing (7 ms)."""
    code = (
        "import os, sys\n"
        "from helpcenter import parallel\n"
        "parallel.workers = lambda: 2\n"
        "results = list(parallel.map_forked(abs, list(range(-50, 50)), minimum=2, here=True))\n"
        "assert sorted(results) == sorted(abs(n) for n in range(-50, 50)), results\n"
        "print('multiprocessing' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
