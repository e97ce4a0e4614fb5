"""Writing the output folder: all or nothing.

The new site is written into a staging folder beside the target and swapped in only when the
whole build succeeded; a failed or killed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import ctypes
import errno
import os
import posixpath
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from . import _libc
from .cache import BuildCache, content_digest
from .errors import UsageError
from .probe import StatProbe, as_recorded, folder_id, recorded

T = TypeVar("T")

MARKER = ".helpcenter-site"
MARKER_TEXT = b"This folder is written by helpcenter; every build replaces it whole.\n"
"""Followed by the digest of the folder's manifest, which the build cache keeps."""


def check_output_dir(out: Path, root: Path, *, force: bool) -> None:
    """Refuse output folders whose replacement would lose work."""
    out, root = out.resolve(), root.resolve()
    precious = {
        root: "the site folder itself",
        root / "articles": "the articles folder",
        root / "templates": "the templates folder",
        root / ".helpcenter": "the build cache folder",
    }
    if out in precious:
        raise UsageError(f"refusing to write the site into {precious[out]} ({out}); choose another output folder")
    for folder, what in precious.items():
        if folder != root and out.is_relative_to(folder):
            raise UsageError(f"refusing to write the site inside {what} ({out})")
    if root.is_relative_to(out):
        raise UsageError(f"refusing to write the site into {out}: it contains the site folder")
    if out.exists() and not force:
        if not out.is_dir():
            raise UsageError(f"the output {out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise UsageError(
                f"the output folder {out} has files helpcenter did not write; "
                "every build replaces it whole, so pass --force if that is what you want"
            )


class OutputTree:
    """The output folder and a spare copy of it beside it, swapped whole on each build.

    A build brings the spare up to date (writing only files whose bytes changed since the spare
    was last live, hard-linking the ones unchanged since the current site), marks it with its
    manifest, then swaps it with the output folder in one rename. The previous site becomes the
    next spare. A file whose bytes did not change is never rewritten, and a killed build leaves
    the live site as it was (the half-updated spare is recognised and rebuilt next time).

    Unchanged files are shared by hard links, so a file edited in place after a build (by a
    deploy script, say) would otherwise carry its edit into later builds: every file relied on is
    first checked against the size, modification time and inode recorded when it was written.
    """

    def __init__(self, target: Path, cache: BuildCache):
        self.target = target
        self.spare = spare_of(target)
        self.cache = cache
        self.current: dict[str, str] = {}
        """What the live site holds (path → content digest); empty if unknown."""
        self._current_digest = ""
        self._believed: dict[str, str] | None = None
        """What the caller believes the live site holds, when that is not what it holds."""
        self._spare: dict[str, str] = {}
        self._current_stats: dict[str, bytes] = {}
        self._spare_stats: dict[str, bytes] = {}
        self._differing: dict[str, frozenset[str] | None] = {}
        """Root → its files not as recorded, when a StatProbe found them (None: stat each)."""
        self.new: dict[str, str] = {}
        self._wrote: set[str] = set()
        self._stats: dict[str, bytes] = {}
        """Stat of every file of the new site, collected as it is assembled."""
        self._target_root = str(target) + os.sep
        self._spare_root = str(self.spare) + os.sep

    def open(self, believed: str = "", probe: StatProbe | None = None) -> None:
        """``believed``: the digest of the site the caller's knowledge describes (the one the last
        saved build state was made with). If the live site is another one (a build stopped
        after its swap and before saving its state), ``keep_all`` keeps only files equal in both.
        ``probe``: one started on the two folders before, to ask which files differ."""
        recover(self.target)
        self._current_digest, current = self._read_manifest(self.target)
        self.current = current or {}
        if self._current_digest != believed:
            self._believed = (self.cache.load_manifest(believed) if believed else None) or {}
        spare = self._read_manifest(self.spare)[1] if self.spare.is_dir() else None
        if spare is None:
            shutil.rmtree(self.spare, ignore_errors=True)
            spare = {}
        self._spare = spare
        self.spare.mkdir(parents=True, exist_ok=True)
        self._current_stats = self.cache.load_stats(folder_id(self.target)) if self.current else {}
        self._spare_stats = self.cache.load_stats(folder_id(self.spare)) if spare else {}
        if probe is not None:
            self._differing = {self._target_root: probe.differing(self.target), self._spare_root: probe.differing(self.spare)}
        # From here on the spare is being changed: without its marker it is never trusted.
        (self.spare / MARKER).unlink(missing_ok=True)

    def _read_manifest(self, folder: Path) -> tuple[str, dict[str, str] | None]:
        """(digest, manifest) of the site in ``folder``; the manifest is None if not ours or damaged."""
        try:
            text = (folder / MARKER).read_text("ascii")
        except (OSError, UnicodeDecodeError):
            return "", None
        digest = text.rsplit("manifest ", 1)[-1].strip()
        return digest, self.cache.load_manifest(digest)

    def write(self, rel: str, data: bytes) -> None:
        digest = content_digest(data)
        if self._reuse(rel, digest):
            return
        self.new[rel] = digest
        path = self._spare_root + safe_relpath(rel)
        # Never write into an existing file: it may be a hard link shared with the live site.
        if rel in self._spare:
            _unlink(path)
        # By file descriptor, the folder made only if missing: an addition at 10,000 articles
        # writes 1,280 files, most in folders the spare has, and open(), mkdir(exist_ok=True)
        # (a failed mkdir, an exception and a stat) and a stat by path cost twice the calls.
        try:
            fd = _in_folder(lambda: os.open(path, _CREATE, 0o666), path)
        except FileExistsError:  # one the spare's manifest does not list
            _unlink(path)
            fd = os.open(path, _CREATE, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            self._stats[rel] = recorded(os.fstat(fd))
        finally:
            os.close(fd)
        self._wrote.add(rel)

    @property
    def written(self) -> int:
        """Files written (not kept or linked) by this build."""
        return len(self._wrote)

    def journal(self, rels: Iterable[str]) -> list[tuple[str, str, bytes, bool]]:
        """What ``write`` recorded of these files, for a forked worker that wrote them to send to
        the parent (see ``adopt``): sending the pages' bytes back for the parent to write cost
        more than writing them."""
        return [(rel, self.new[rel], self._stats[rel], rel in self._wrote) for rel in rels]

    def adopt(self, journal: Iterable[tuple[str, str, bytes, bool]]) -> None:
        """Record files a forked worker wrote into the spare (see ``journal``)."""
        for rel, digest, stat, wrote in journal:
            self.new[rel] = digest
            self._stats[rel] = stat
            if wrote:
                self._wrote.add(rel)

    def _is_intact(self, root: str, rel: str, stats: dict[str, bytes]) -> bool:
        """The file is as recorded; remembers its stat for the new site (same inode if linked)."""
        expected = stats.get(rel)
        differing = self._differing.get(root)
        if expected is None or not (rel not in differing if differing is not None else as_recorded(root + rel, expected)):
            return False
        self._stats[rel] = expected
        return True

    def keep_all(self, rels: Iterable[str]) -> list[str]:
        """Carry these files over from the live site unchanged; returns those that are not there
        to keep.

        Most files a build keeps have been in the spare, unchanged, since the build before
        last: they are checked here in one loop (after an edit at 10,000 articles, 24,000 of them:
        by the probe's answer, or a stat each), the others as ``_reuse`` does."""
        current, believed, spare, spare_stats = self.current, self._believed, self._spare, self._spare_stats
        new, stats, root = self.new, self._stats, self._spare_root
        differing = self._differing.get(root)
        missing = []
        for rel in rels:
            digest = current.get(rel)
            if digest is None or (believed is not None and believed.get(rel) != digest):
                missing.append(rel)
                continue
            expected = spare_stats.get(rel) if spare.get(rel) == digest else None
            if expected is not None and (rel not in differing if differing is not None else as_recorded(root + rel, expected)):
                stats[rel] = expected
                new[rel] = digest
                continue
            if not self._reuse(rel, digest):
                missing.append(rel)
        return missing

    def _reuse(self, rel: str, digest: str) -> bool:
        """The file with these bytes is already in the spare, or is linked in from the live site."""
        if (self._spare.get(rel) == digest and self._is_intact(self._spare_root, rel, self._spare_stats)) or (
            self.current.get(rel) == digest and self._is_intact(self._target_root, rel, self._current_stats) and self._link(rel)
        ):
            self.new[rel] = digest
            return True
        return False

    def _link(self, rel: str) -> bool:
        """Hard-link the live site's file into the spare (the spare is not live: no temp file needed)."""
        path = self._spare_root + rel
        if rel in self._spare:
            _unlink(path)
        try:
            _in_folder(lambda: os.link(self._target_root + rel, path), path)
        except OSError:
            return False
        return True

    def commit(self) -> str:
        """Delete what the new site no longer has, mark the spare, swap it in; returns its digest."""
        for rel in sorted(set(self._spare) - set(self.new), reverse=True):
            path = self.spare / safe_relpath(rel)
            path.unlink(missing_ok=True)
            _prune_empty(path.parent, self.spare)
        stats = {rel: self._stats[rel] for rel in self.new}
        self.cache.save_stats(folder_id(self.spare), stats, keep=[folder_id(self.target)] if self.target.exists() else [])
        digest = self.cache.save_manifest(self.new, keep=[self._current_digest] if self.current else [])
        (self.spare / MARKER).write_bytes(MARKER_TEXT + f"manifest {digest}\n".encode("ascii"))
        _fsync_tree_root(self.spare)
        if self.target.exists():
            if not _exchange(self.spare, self.target):
                os.rename(self.target, self.previous)
                os.rename(self.spare, self.target)
                os.rename(self.previous, self.spare)
        else:
            os.rename(self.spare, self.target)
            self._clone_spare(digest, stats)
        return digest

    def _clone_spare(self, digest: str, stats: dict[str, bytes]) -> None:
        """After a first build: a hard-linked copy of the new site as the spare, so that the next
        build starts from a spare only one generation old (it then touches only what changes)."""
        for rel in self.new:
            path = self._spare_root + rel
            _in_folder(lambda: os.link(self._target_root + rel, path), path)
        (self.spare / MARKER).write_bytes(MARKER_TEXT + f"manifest {digest}\n".encode("ascii"))
        self.cache.save_stats(folder_id(self.spare), stats, keep=[folder_id(self.target)])

    @property
    def previous(self) -> Path:
        return self.target.parent / f".{self.target.name}.helpcenter-old"


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
"""A new file (never an existing one: see OutputTree.write), its bytes as given (Windows would
otherwise translate newlines)."""


def _in_folder(make: Callable[[], T], path: str) -> T:
    """``make()``, which creates ``path``; its folder is made first if ``make`` says it is
    missing (most files go into folders the spare has: one call, not a mkdir each)."""
    try:
        return make()
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return make()


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def spare_of(target: Path) -> Path:
    """The spare copy of an output folder, beside it."""
    return target.parent / f".{target.name}.helpcenter-spare"


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def recover(target: Path) -> None:
    """Undo a swap interrupted between its renames (only on systems without an atomic exchange)."""
    previous = target.parent / f".{target.name}.helpcenter-old"
    if previous.exists():
        if not target.exists():
            os.rename(previous, target)
        else:
            shutil.rmtree(previous)
    for stale in (target.parent / f".{target.name}.helpcenter-new",):
        shutil.rmtree(stale, ignore_errors=True)


def safe_relpath(rel: str) -> str:
    """Paths we write are always inside the output folder; anything else is a bug, so fail loudly."""
    normal = posixpath.normpath(rel)
    if rel.startswith("/") or normal == ".." or normal.startswith("../") or normal == "." or "\\" in rel or "\x00" in rel:
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return normal


def _fsync_tree_root(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False where the system cannot."""
    renameat2 = _libc.function("renameat2", use_errno=True)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))
