"""map_forked: the same results as map, on forked workers, with or without this process."""

from __future__ import annotations

import os

from helpcenter import parallel


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_results_in_order_from_workers(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    results = list(parallel.map_forked(_square_and_pid, list(range(20)), minimum=2))
    assert [r for r, _ in results] == [n * n for n in range(20)]
    assert os.getpid() not in {pid for _, pid in results}


def test_this_process_takes_part_when_asked(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    results = list(parallel.map_forked(_square_and_pid, list(range(20)), minimum=2, here=True))
    assert sorted(r for r, _ in results) == [n * n for n in range(20)]
    pids = [pid for _, pid in results]
    assert pids.count(os.getpid()) == 10 and len(set(pids)) == 2  # half here, half in the one worker


def test_small_inputs_stay_in_this_process(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    results = list(parallel.map_forked(_square_and_pid, [3], minimum=2, here=True))
    assert results == [(9, os.getpid())]
