"""Scanning the articles and checking the output folders against their records in a second process.

A build relies on the files of the live site and of its spare copy being as they were recorded
when written (size, modification time, inode): at 10,000 articles that is 26,000 ``stat`` calls
before any page is kept, a tenth of an edit's time. A forked child makes them while this
process reads the last build's state and imports the pipeline (which it must do first anyway);
the build then asks it which files differ instead of making the calls itself. The child first
scans the articles folder (10,000 more calls, 40 ms), which the build needs as soon as the
state is read: its answer, plain data, reads in 2 ms.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from .cache import BuildCache
from .content import ArticleFiles, scan_article_files
from .parallel import fork_available, workers

PROBE_MIN_BYTES = 128 * 1024
"""Records smaller than this (about 3,000 files) are checked in-process: cheaper than a fork."""


def folder_id(folder: Path) -> str:
    """What names a folder's record of stats: the folder's device and inode."""
    info = folder.stat()
    return f"{info.st_dev}-{info.st_ino}"


_RECORD = struct.Struct("<qqQ")
_ARTICLES = ""
"""The name the child's answer about the articles folder comes under (no folder's name is empty)."""


def recorded(info: os.stat_result) -> bytes:
    """What tells a file is the one written: its size, modification time and inode, packed. (One
    bytes object rather than a tuple of three numbers: a record of the 23,000 files of the
    benchmark's site reads in half the time, 7-9 against 15-16 ms.) Not the change time, which
    state.stamp packs for article files: hard-linking an output file into the other folder
    changes it."""
    return _RECORD.pack(info.st_size, info.st_mtime_ns, info.st_ino)


def as_recorded(path: str, expected: bytes) -> bool:
    """The file is there with the size, modification time and inode recorded for it."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return recorded(info) == expected


def differing(folder: Path, stats: dict[str, bytes]) -> frozenset[str]:
    """The files of ``folder`` that are not as ``stats`` records them (or not there)."""
    base = str(folder) + os.sep
    return frozenset(rel for rel, expected in stats.items() if not as_recorded(base + rel, expected))


class StatProbe:
    """Started (forked) before the state is read; ``articles`` and ``differing`` wait for its
    answers. It answers the articles folder first, then folder by folder, in the order given: a
    build with nothing to do asks only about the first (the live site)."""

    def __init__(self, cache: BuildCache, folders: Sequence[Path], articles_dir: Path | None = None):
        self._answers: dict[str, tuple[str, frozenset[str]]] = {}
        self._articles: tuple[str, ArticleFiles] | None = None
        self._pid = 0
        self._pipe: BinaryIO | None = None
        wanted: list[tuple[Path, str, Path]] = []
        total = 0
        for folder in folders:
            try:
                fid = folder_id(folder)
                path = cache.stats_file(fid)
                total += path.stat().st_size
            except OSError:
                continue
            wanted.append((folder, fid, path))
        if not wanted or total < PROBE_MIN_BYTES or workers() < 2 or not fork_available():
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: answer, then exit without running the parent's cleanup
            code = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb") as out:
                    if articles_dir is not None:
                        pickle.dump((_ARTICLES, str(articles_dir), scan_article_files(articles_dir)), out, protocol=pickle.HIGHEST_PROTOCOL)
                        out.flush()
                    for folder, fid, _ in wanted:
                        answer = (str(folder), fid, differing(folder, cache.load_stats(fid)))
                        pickle.dump(answer, out, protocol=pickle.HIGHEST_PROTOCOL)
                        out.flush()
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._pipe = pid, os.fdopen(read, "rb")

    def articles(self, articles_dir: Path) -> ArticleFiles:
        """The article files, as the probe found them if it scanned this folder, else scanned now."""
        if self._articles is None and self._pipe is not None and not self._answers:
            self._next()
        if self._articles is not None and self._articles[0] == str(articles_dir):
            return self._articles[1]
        return scan_article_files(articles_dir)

    def differing(self, folder: Path) -> frozenset[str] | None:
        """The files of ``folder`` that differ from its record, as the probe found them; None
        if it did not check this folder (or the folder is another one by now): check yourself."""
        key = str(folder)
        while key not in self._answers and self._pipe is not None:
            self._next()
        found = self._answers.get(key)
        if found is None:
            return None
        try:
            same = folder_id(folder) == found[0]
        except OSError:
            return None
        return found[1] if same else None

    def _next(self) -> None:
        """Read the child's next answer."""
        assert self._pipe is not None
        try:
            name, fid, answer = pickle.load(self._pipe)
        except Exception:  # the child is done (or failed): no more answers
            self.close()
            return
        if name == _ARTICLES:
            self._articles = (fid, answer)
        else:
            self._answers[name] = (fid, answer)

    def close(self) -> None:
        """Stop the child (it only reads; a build with nothing to do needs only its first answer)."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
