"""The static search export: term-sharded postings the browser scores exactly as Whoosh does.

Format (version 2) is documented in docs/search-format.md. In short, under ``search/``:
``meta.json`` (collection statistics), ``t/<shard>.bin`` (postings: raw term frequencies and
one-byte field lengths, never precomputed scores, so an edit rewrites only the shards of the
terms it touched plus meta.json), ``k/<block>.bin`` (updated date and views, for sorting), and
``d/<slot>.bin`` (one article's display values and text, fetched only for shown results).
Binary files are gzip-compressed by us, so transfer sizes do not depend on the host.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from . import engine
from .postings import FIELDS, Postings, runs

FORMAT_VERSION = 2
KEYS_BLOCK_BITS = 12
"""Sort keys are grouped by ``slot >> 12``: a query fetches the blocks its matches fall in."""
MAX_TERMS = 20


def shard_count(vocabulary: int) -> int:
    """A power of two with about 16 terms per shard (at least 64 shards)."""
    count = 64
    while count * 16 < vocabulary:
        count *= 2
    return count


def shard_of(term: str, shards: int) -> int:
    """CRC-32 of the term's UTF-8 bytes, modulo the shard count (engine.js has the same CRC)."""
    return zlib.crc32(term.encode("utf-8")) % shards


SHARD_LEVEL = 1
"""Varints compress little: at 10,000 articles level 1 makes the shards 2% larger than level 6
(6.15 against 6.02 MB) in half the time (an addition re-encodes 180 of them: 41 against 83 ms)."""


def compress(data: bytes, level: int = 6) -> bytes:
    # mtime=0 and no file name: the same input gives the same bytes (reproducible builds).
    # Level 6: within 1% of level 9 on this data, at a third of the time.
    return gzip.compress(data, compresslevel=level, mtime=0)


def varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def varints(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """LEB128-encode every value at once; returns the bytes and each value's byte length.

    Most values (gaps, frequencies) take one byte: the first bytes are written in one pass
    over all values, the later ones only for the values that have them."""
    v = values.astype(np.uint64)
    sizes = np.ones(len(v), dtype=np.int64)
    for k in range(1, 10):
        above = v >= np.uint64(1 << (7 * k))
        if not above.any():
            break
        sizes += above
    ends = np.cumsum(sizes)
    starts = ends - sizes
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    out[starts] = (v & np.uint64(0x7F)).astype(np.uint8) | ((sizes > 1).astype(np.uint8) << np.uint8(7))
    longer = np.flatnonzero(sizes > 1)
    k = 1
    while len(longer):
        more = sizes[longer] > k + 1
        byte = ((v[longer] >> np.uint64(7 * k)) & np.uint64(0x7F)).astype(np.uint8)
        out[starts[longer] + k] = byte | (more.astype(np.uint8) << np.uint8(7))
        longer = longer[more]
        k += 1
    return out.tobytes(), sizes


def meta_file(postings: Postings, span: int, categories: Sequence[str], shards: int) -> bytes:
    value = {
        "format": FORMAT_VERSION,
        "engine": engine.ENGINE_NAME,
        "doc_count": int(postings.doc_count),
        "span": span,
        "categories": list(categories),
        "fields": list(engine.TEXT_FIELDS),
        "boosts": [engine.FIELD_BOOSTS[name] for name in engine.TEXT_FIELDS],
        "totals": [int(t) for t in postings.totals],
        "B": engine.B,
        "K1": engine.K1,
        "lengths": list(engine.LENGTH_TABLE),
        "shards": shards,
        "keys_block_bits": KEYS_BLOCK_BITS,
        "max_terms": MAX_TERMS,
    }
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


def shard_files(postings: Postings, shards: int, only: Iterable[int] | None = None) -> dict[int, bytes]:
    """The shard files (all, or those listed in ``only``), encoded from the postings; a few
    hundred shards at a time, so the temporary arrays stay small."""
    wanted = sorted(range(shards) if only is None else set(only))
    files: dict[int, bytes] = {}
    for start in range(0, len(wanted), SHARD_GROUP):
        files.update(_shard_files(postings, shards, wanted[start : start + SHARD_GROUP]))
    return files


SHARD_GROUP = 256


def _shard_files(postings: Postings, shards: int, only: Iterable[int] | None = None) -> dict[int, bytes]:
    """The shard files listed in ``only``, encoded from the postings.

    Layout of one shard, after gunzip: a header (term count; per term in UTF-8 byte order: its
    bytes, a field mask and each present field's df), then every gap and frequency varint, then
    every length-code byte; see docs/search-format.md.
    """
    wanted = None if only is None else set(only)
    by_shard: dict[int, list[tuple[bytes, int]]] = {}
    live = postings.live_term_ids()
    shard_ids = postings.term_crcs()[live] % shards  # shard_of, for every term at once
    if wanted is not None:
        mask = np.isin(shard_ids, np.fromiter(wanted, dtype=np.int64, count=len(wanted)))
        live, shard_ids = live[mask], shard_ids[mask]
    vocabulary = postings.vocabulary
    for term_id, shard in zip(live.tolist(), shard_ids.tolist()):
        term = vocabulary[term_id]
        by_shard.setdefault(shard, []).append((term.encode("utf-8"), term_id))
    files: dict[int, bytes] = {}
    every = range(shards) if wanted is None else sorted(wanted)
    if not by_shard:
        return {s: compress(b"\x00") for s in every}
    order = [(shard, sorted(terms)) for shard, terms in sorted(by_shard.items())]
    term_ids = np.array([tid for _, terms in order for _, tid in terms], dtype=np.int32)
    rows = postings.rows_of(term_ids)
    starts, ends = postings.ranges(term_ids)
    segment_of_row = np.repeat(np.arange(len(term_ids)), ends - starts)
    tf = postings.tf[rows]
    # One posting per (row, field) with tf > 0, ordered by (term, field, slot).
    row_index, field_index = np.nonzero(tf > 0)
    segment = segment_of_row[row_index] * FIELDS + field_index
    ordering = np.lexsort((row_index, segment))
    row_index, field_index, segment = row_index[ordering], field_index[ordering], segment[ordering]
    slots = postings.slot[rows][row_index]
    freqs = tf[row_index, field_index]
    codes = postings.code[rows][row_index, field_index].astype(np.uint8)
    seg_starts, seg_ends = runs(segment)
    seg_lengths = seg_ends - seg_starts
    gaps = slots.copy()
    if len(gaps):
        gaps[1:] -= slots[:-1]
        gaps[seg_starts] = slots[seg_starts]
    # gaps of a segment, then its frequencies: position of each value in the varint stream
    first = np.repeat(seg_starts, seg_lengths)
    within = np.arange(len(segment)) - first
    stream = np.empty(2 * len(segment), dtype=np.uint64)
    stream[2 * first + within] = gaps
    stream[2 * first + np.repeat(seg_lengths, seg_lengths) + within] = freqs
    encoded, sizes = varints(stream)
    byte_end = np.cumsum(sizes)
    df_of = dict(zip(segment[seg_starts].tolist(), seg_lengths.tolist()))
    cursor_term = 0
    cursor_posting = 0
    for shard, terms in order:
        header = bytearray()
        varint(len(terms), header)
        count = 0
        for raw, _ in terms:
            varint(len(raw), header)
            header += raw
            fields = [(f, df_of.get((cursor_term) * FIELDS + f, 0)) for f in range(FIELDS)]
            varint(sum(1 << f for f, df in fields if df), header)
            for _, df in fields:
                if df:
                    varint(df, header)
                    count += df
            cursor_term += 1
        start = cursor_posting
        end = cursor_posting + count
        byte_start = int(byte_end[2 * start - 1]) if start else 0
        byte_stop = int(byte_end[2 * end - 1]) if end else 0
        body = encoded[byte_start:byte_stop] + codes[start:end].tobytes()
        files[shard] = compress(bytes(header) + body, SHARD_LEVEL)
        cursor_posting = end
    for shard in every:  # a shard without terms is still a file: no 404s for the browser
        files.setdefault(shard, compress(b"\x00"))
    return files


def keys_file(rows: Sequence[tuple[int, int, int]]) -> bytes:
    """(slot, updated seconds, views), slots ascending."""
    out = bytearray()
    varint(len(rows), out)
    previous = 0
    for slot, updated, views in rows:
        varint(slot - previous, out)
        varint(updated, out)
        varint(views, out)
        previous = slot
    return compress(bytes(out))


def doc_file(display: Mapping[str, Any], text: str) -> bytes:
    value = dict(display)
    value["text"] = text
    # Level 4 for the documents, fetched only for the results shown: 0.7% larger than level 6
    # at 10,000 articles, and a quarter less CPU on the build's largest compression job.
    return compress(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 4)


def keys_blocks(sort_keys: Mapping[int, tuple[int, int]], only: Iterable[int] | None = None) -> dict[int, bytes]:
    """slot → (updated, views) into block files (all, or the blocks listed in ``only``)."""
    wanted = None if only is None else set(only)
    blocks: dict[int, list[tuple[int, int, int]]] = {}
    for slot in sorted(sort_keys):
        block = slot >> KEYS_BLOCK_BITS
        if wanted is None or block in wanted:
            updated, views = sort_keys[slot]
            blocks.setdefault(block, []).append((slot, updated, views))
    files = {block: keys_file(rows) for block, rows in blocks.items()}
    for block in wanted or ():
        files.setdefault(block, keys_file([]))
    return files
