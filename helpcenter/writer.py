"""Writing the output folder: all or nothing.

The new site is written into a staging folder beside the target and swapped in only when the
whole build succeeded; a failed or killed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import posixpath
import shutil
from pathlib import Path

from .errors import UsageError

MARKER = ".helpcenter-site"
MARKER_TEXT = b"This folder is written by helpcenter; every build replaces it whole.\n"


def check_output_dir(out: Path, root: Path, *, force: bool) -> None:
    """Refuse output folders whose replacement would lose work."""
    out, root = out.resolve(), root.resolve()
    precious = {
        root: "the site folder itself",
        root / "articles": "the articles folder",
        root / "templates": "the templates folder",
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


class Staging:
    """A folder beside the target that becomes the target on commit()."""

    def __init__(self, target: Path):
        self.target = target
        self.folder = target.parent / f".{target.name}.helpcenter-new"
        self.previous = target.parent / f".{target.name}.helpcenter-old"

    def begin(self) -> None:
        recover(self.target)
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        self.write(MARKER, MARKER_TEXT)

    def write(self, rel: str, data: bytes) -> None:
        path = self.folder / safe_relpath(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def copy(self, rel: str, source: Path) -> None:
        path = self.folder / safe_relpath(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)

    def commit(self) -> None:
        _fsync_tree_root(self.folder)
        if self.target.exists():
            if _exchange(self.folder, self.target):
                shutil.rmtree(self.folder)
                return
            os.rename(self.target, self.previous)
            os.rename(self.folder, self.target)
            shutil.rmtree(self.previous)
        else:
            os.rename(self.folder, self.target)

    def abort(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def recover(target: Path) -> None:
    """Undo a swap interrupted between its two renames (only on systems without an atomic exchange)."""
    previous = target.parent / f".{target.name}.helpcenter-old"
    if previous.exists():
        if not target.exists():
            os.rename(previous, target)
        else:
            shutil.rmtree(previous)


def safe_relpath(rel: str) -> str:
    """Paths we write are always inside the output folder; anything else is a bug, so fail loudly."""
    normal = posixpath.normpath(rel)
    if rel.startswith("/") or normal.startswith("..") or normal == "." or "\\" in rel or "\x00" in rel:
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
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))
