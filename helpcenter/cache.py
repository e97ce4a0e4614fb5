"""The build cache under ``.helpcenter/``: what the last build knew, so the next one redoes
only what changed.

- ``records.sqlite``: one record per article file, keyed by path + content hash + options, in
  two parts: the head (front matter, text, search terms) and the body (HTML, headings), so
  rendering pages never unpickles search terms, nor search HTML. Big; read only for the
  articles a build needs.
- ``state.pickle``: the last build's small state (file stamps, slots, postings vocabulary,
  related lists, page keys; then the article metas apart), stamped with the versions it
  depends on.
- ``manifests/``: the file list (path → content hash) of each output folder we wrote, by digest.

Anything unreadable, truncated or from another version is dropped with a warning and rebuilt;
it is never trusted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import mmap
import os
import pickle
import sqlite3
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .errors import Problem, Severity

CACHE_NAME = ".helpcenter"


def content_digest(data: bytes) -> str:
    """The hash that names a file's bytes (article sources, output files). SHA-256, cut to 128
    bits: this machine's CPU computes it in hardware, twice as fast as BLAKE2b (14 against 30 µs
    for a 23 KB listing page)."""
    return hashlib.sha256(data).hexdigest()[:32]


def _warning(message: str) -> Problem:
    return Problem(CACHE_NAME, None, message, Severity.WARNING)


def cache_blob(value: Any) -> bytes:
    """How a record is stored in the records database."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def blob_value(data: bytes) -> Any:
    return pickle.loads(data)


class BuildCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.problems: list[Problem] = []
        self._db: sqlite3.Connection | None = None
        self._rest: tuple[memoryview, int, list[int]] = (memoryview(b""), 0, [])
        """The mapped state file, where its metas start, and the size of each of their groups."""
        self._chunks: dict[int, tuple[Any, dict[str, Any], dict[str, Any]]] = {}
        """Groups of the last state's metas as read: (bytes, metas, problems). The bytes are
        the mapped file's (a memoryview) when read, bytes when this process wrote them."""
        self._fields: dict[str, tuple[Any, Any]] = {}
        """The last state's other fields as read: name → (bytes, value), the bytes as above."""

    # -- records ----------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            path = self.folder / "records.sqlite"
            try:
                self._db = self._open_db(path)
            except sqlite3.DatabaseError:
                self.problems.append(_warning("the cached records were unreadable; rebuilding them"))
                for suffix in ("", "-journal", "-wal", "-shm"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
                self._db = self._open_db(path)
        return self._db

    @staticmethod
    def _open_db(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("DROP TABLE IF EXISTS record")  # earlier builds kept each record in one blob
        db.execute("CREATE TABLE IF NOT EXISTS parts (key TEXT PRIMARY KEY, head BLOB NOT NULL, body BLOB NOT NULL)")
        db.execute("SELECT count(*) FROM parts").fetchone()
        return db

    def get_records(self, keys: Iterable[str]) -> dict[str, Any]:
        """The record heads found (unreadable ones are dropped: the caller recomputes them)."""
        return self._get("head", keys)

    def get_bodies(self, keys: Iterable[str]) -> dict[str, Any]:
        """The record bodies found, as ``get_records``."""
        return self._get("body", keys)

    def _get(self, column: str, keys: Iterable[str]) -> dict[str, Any]:
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Any] = {}
        db = self._connect()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = db.execute(f"SELECT key, {column} FROM parts WHERE key IN ({marks})", chunk).fetchall()
            except sqlite3.DatabaseError:
                self.problems.append(_warning("the cached records were unreadable; rebuilding them"))
                self.reset_records()
                return {}
            for key, value in rows:
                try:
                    found[key] = blob_value(value)
                except Exception:  # a damaged row: recompute that record
                    continue
        return found

    def put_record_blobs(self, rows: Sequence[tuple[str, bytes, bytes]]) -> None:
        """Store (key, head, body) rows pickled with ``cache_blob`` (perhaps by a worker process)."""
        if not rows:
            return
        db = self._connect()
        db.execute("BEGIN")
        db.executemany("INSERT OR REPLACE INTO parts (key, head, body) VALUES (?, ?, ?)", rows)
        db.execute("COMMIT")

    def prune_records(self, live: Iterable[str]) -> None:
        """Forget records no current file needs (after edits, old versions pile up)."""
        db = self._connect()
        live = set(live)
        (count,) = db.execute("SELECT count(*) FROM parts").fetchone()
        if count * 3 <= len(live) * 4:
            return  # not worth it yet: a quarter dead at most (and listing every key costs)
        keys = [k for (k,) in db.execute("SELECT key FROM parts")]
        dead = [(k,) for k in keys if k not in live]
        if dead and len(dead) * 4 > len(keys):
            db.execute("BEGIN")
            db.executemany("DELETE FROM parts WHERE key = ?", dead)
            db.execute("COMMIT")

    def reset_records(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(self.folder / "records.sqlite") + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- state ------------------------------------------------------------------------------
    # The state file: the stamp (pickled), a header (pickled: the state's type, then the size of
    # each field and of each group of metas), then those parts' bytes one after another. A
    # rebuild with nothing to do reads the fields, not the metas, which are most of the file
    # (0.8 s to read at 30,000 articles). The metas are pickled in STATE_CHUNKS groups (by a hash
    # of the file name), each kept as the bytes read: a build pickles again only the groups
    # holding an article it changed. The other fields are written one by one (see
    # _field_bytes), each also kept as read: a field the build left as it was read is written
    # back as those bytes. (One pickle of them all took 75 ms at 10,000 articles, against 45 ms
    # one by one: its memo of every object grew large.) The file is mapped, not read: its parts
    # are read in place (reading 21 MB into new memory took 15 ms at 10,000 articles, mapping
    # it 3), and the parts kept as read are the mapped bytes.
    def load_state(self, stamp: Mapping[str, Any]) -> Any | None:
        """The last build's state without ``metas`` and ``problems`` (see load_state_rest)."""
        path = self.state_file
        if not path.exists():
            return None
        try:
            with path.open("rb") as handle:
                saved_stamp = pickle.load(handle)
                if saved_stamp != dict(stamp):
                    return None  # another version or other settings: a clean build, silently
                kind, sizes, chunk_sizes = pickle.load(handle)
                at = handle.tell()
                mapped = memoryview(_map(handle.fileno()))
            if at + sum(size for _, size in sizes) + sum(chunk_sizes) != len(mapped):
                raise ValueError("truncated")
            self._fields = {}
            for name, size in sizes:
                blob = mapped[at : at + size]
                at += size
                self._fields[name] = (blob, _field_value(blob))
            self._rest = (mapped, at, chunk_sizes)
            return kind(**{name: value for name, (_, value) in self._fields.items()})
        except Exception:
            self.problems.append(_warning("the build state was unreadable; building from scratch"))
            return None

    def load_state_rest(self, state: Any) -> bool:
        """Fill in the state's ``metas`` and ``problems``; False (with a warning) if unreadable."""
        try:
            mapped, at, chunk_sizes = self._rest
            state.metas, state.problems = {}, {}
            self._chunks = {}
            for index, size in enumerate(chunk_sizes):
                blob = mapped[at : at + size]
                at += size
                metas, problems = pickle.loads(blob)
                state.metas.update(metas)
                state.problems.update(problems)
                self._chunks[index] = (blob, metas, problems)
            return len(chunk_sizes) == STATE_CHUNKS
        except Exception:
            self._chunks = {}
            self.problems.append(_warning("the build state was unreadable; building from scratch"))
            return False

    def save_state(self, stamp: Mapping[str, Any], state: Any) -> None:
        fields: dict[str, Any] = {}
        for field in dataclasses.fields(state):
            if field.name in ("metas", "problems"):
                continue
            value, known = getattr(state, field.name), self._fields.get(field.name)
            fields[field.name] = known[0] if known is not None and known[1] is value else _field_bytes(value)
        groups: list[tuple[dict[str, Any], dict[str, Any]]] = [({}, {}) for _ in range(STATE_CHUNKS)]
        for rel, meta in state.metas.items():
            groups[_chunk_of(rel)][0][rel] = meta
        for rel, found in state.problems.items():
            groups[_chunk_of(rel)][1][rel] = found
        blobs: list[Any] = []
        for index, (metas, problems) in enumerate(groups):
            known = self._chunks.get(index)
            if known is not None and _same_objects(known[1], metas) and _same_objects(known[2], problems):
                blobs.append(known[0])  # no article of this group changed: the bytes read
            else:
                blobs.append(pickle.dumps((metas, problems), protocol=pickle.HIGHEST_PROTOCOL))

        def write(handle: Any) -> None:
            pickle.dump(dict(stamp), handle)
            header = (type(state), [(name, len(blob)) for name, blob in fields.items()], [len(blob) for blob in blobs])
            pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL)
            for blob in (*fields.values(), *blobs):
                handle.write(blob)

        atomic_write(self.state_file, write)
        # As if this state had just been read: a next build in this process starts from here.
        self._fields = {name: (blob, getattr(state, name)) for name, blob in fields.items()}
        self._chunks = {index: (blob, *groups[index]) for index, blob in enumerate(blobs)}

    def saved(self) -> tuple[dict[str, tuple[Any, Any]], dict[int, tuple[Any, dict[str, Any], dict[str, Any]]]]:
        """The bytes of each part of the state last read or saved, with the objects they hold: a
        part still the very same object is written back as those bytes (see save_state)."""
        return self._fields, self._chunks

    def adopt(self, saved: tuple[dict[str, tuple[Any, Any]], dict[int, tuple[Any, dict[str, Any], dict[str, Any]]]]) -> None:
        """Start from a state this process saved (see saved) instead of reading it."""
        self._fields, self._chunks = saved

    @property
    def state_file(self) -> Path:
        return self.folder / "state.pickle"

    # -- output manifests -------------------------------------------------------------------
    # A manifest is named by the digest of its bytes: the manifest sorted by path, marshalled
    # (plain data, as the stats are: see _field_bytes). (Hashing it entry by entry, sorted again
    # on every load and save, took 50 ms a build at 10,000 articles.)
    def load_manifest(self, digest: str) -> dict[str, str] | None:
        path = self.folder / "manifests" / f"{digest}.marshal"
        try:
            data = path.read_bytes()
            if content_digest(data) != digest:
                return None
            manifest = marshal.loads(data)
        except Exception:
            return None
        return manifest if isinstance(manifest, dict) else None

    def save_manifest(self, manifest: Mapping[str, str], keep: Iterable[str]) -> str:
        data = marshal.dumps({path: manifest[path] for path in sorted(manifest)})
        digest = content_digest(data)
        folder = self.folder / "manifests"
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / f"{digest}.marshal", lambda h: h.write(data))
        wanted = {f"{d}.marshal" for d in (*keep, digest)}
        for old in folder.iterdir():
            if old.name not in wanted and not old.name.startswith("stats-"):
                old.unlink(missing_ok=True)
        return digest

    def stats_file(self, folder_id: str) -> Path:
        """Where the stats of the output folder ``folder_id`` (see probe.folder_id) are recorded."""
        return self.folder / "manifests" / f"stats-{folder_id}.marshal"

    def load_stats(self, folder_id: str) -> dict[str, bytes]:
        """Each file's stat as recorded (probe.recorded); empty if unknown or unreadable."""
        try:
            stats = marshal.loads(self.stats_file(folder_id).read_bytes())
        except Exception:
            return {}
        return stats if isinstance(stats, dict) else {}

    def save_stats(self, folder_id: str, stats: dict[str, bytes], keep: Iterable[str]) -> None:
        folder = self.folder / "manifests"
        folder.mkdir(parents=True, exist_ok=True)
        data = marshal.dumps(stats)
        atomic_write(self.stats_file(folder_id), lambda h: h.write(data))
        wanted = {f"stats-{i}.marshal" for i in (*keep, folder_id)}
        for old in folder.glob("stats-*"):
            if old.name not in wanted:
                old.unlink(missing_ok=True)


STATE_CHUNKS = 64
_PLAIN = (dict, tuple, str, int)
"""What marshal writes of a state field. Not sets, whose elements it sorts (7.5 against 0.8 ms
to write the 10,000 published files of the benchmark's site); not lists, of which the state has
one: the search vocabulary, interned words, which marshal interns again as it reads them (9.7
against 2.8 ms for 26,000 words)."""


def _field_bytes(value: Any) -> bytes:
    """A state field's bytes: by marshal if it is plain data (builtin containers of strings
    and numbers: at 10,000 articles the fields that are took 17.8 ms to write, against 34.5 by
    pickle, and read a little faster), else by pickle. The first byte says which."""
    if type(value) in _PLAIN:
        try:
            return b"m" + marshal.dumps(value)
        except ValueError:  # an object inside
            pass
    return b"p" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _field_value(data: Any) -> Any:
    """A field from its bytes (see _field_bytes): bytes, or a memoryview of the mapped file."""
    body = memoryview(data)[1:]
    return marshal.loads(body) if data[:1] == b"m" else pickle.loads(body)


def _map(fileno: int) -> mmap.mmap:
    """The whole file, mapped for reading (with its pages in at once, where the system can)."""
    if hasattr(mmap, "MAP_POPULATE"):
        return mmap.mmap(fileno, 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)
    return mmap.mmap(fileno, 0, access=mmap.ACCESS_READ)


def _chunk_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % STATE_CHUNKS


def _same_objects(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """The same keys with the very same values (an unchanged article keeps the object read)."""
    return old.keys() == new.keys() and all(new[k] is v for k, v in old.items())


def atomic_write(path: Path, write: Any) -> None:
    """Write ``path`` whole or not at all: ``write(handle)`` fills a temporary file beside it,
    which then replaces it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temp.open("wb") as handle:
        write(handle)
    os.replace(temp, path)
