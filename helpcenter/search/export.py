"""The static search export: term-sharded postings the browser scores exactly as Whoosh does.

Format (version 2) is documented in docs/search-format.md. In short, under ``search/``:
``meta.json`` (collection statistics), ``t/<shard>.bin`` (postings: raw term frequencies and
one-byte field lengths, never precomputed scores, so an edit rewrites only the shards of the
terms it touched plus meta.json), ``k/<block>.bin`` (updated date and views, for sorting), and
``d/<slot>.bin`` (one article's display values and text, fetched only for shown results).
Binary files are gzip-compressed by us, so transfer sizes do not depend on the host.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from . import engine
from .compression import compress
from .postings import FIELDS, Postings

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


def varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def varints(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """LEB128-encode every value at once; returns the bytes and each value's byte length.

    Most values (gaps, frequencies) take one byte: the first bytes are written in one pass
    over all values, the later ones only for the values that have them. In the narrowest
    unsigned type that holds them (32 bits for the postings of 30,000 articles): a third of
    the time 64-bit values took."""
    if not len(values):
        return b"", np.zeros(0, dtype=np.int64)
    top = int(values.max())
    v = values.astype(np.uint32 if top < 1 << 32 else np.uint64, copy=False)
    width = max(1, (top.bit_length() + 6) // 7)
    has = [v >= (1 << (7 * k)) for k in range(1, width)]  # has[k - 1]: the value has a byte k
    sizes = np.ones(len(v), dtype=np.int64)
    for more in has:
        sizes += more
    ends = np.cumsum(sizes)
    starts = ends - sizes
    out = np.empty(int(ends[-1]), dtype=np.uint8)
    first = (v & 0x7F).astype(np.uint8)
    if has:
        first |= has[0].view(np.uint8) << 7
    out[starts] = first
    for k, more in enumerate(has, 1):
        which = np.flatnonzero(more)
        byte = ((v[which] >> (7 * k)) & 0x7F).astype(np.uint8)
        if k < len(has):
            byte |= has[k][which].view(np.uint8) << 7
        out[starts[which] + k] = byte
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
    encoded, byte_end, codes, df = _postings_stream(postings, term_ids)
    df_rows = df.tolist()
    cursor_term = 0
    cursor_posting = 0
    for shard, terms in order:
        header = bytearray()
        varint(len(terms), header)
        count = 0
        for raw, _ in terms:
            varint(len(raw), header)
            header += raw
            frequencies = df_rows[cursor_term]
            varint(sum(1 << f for f, n in enumerate(frequencies) if n), header)
            for n in frequencies:
                if n:
                    varint(n, header)
                    count += n
            cursor_term += 1
        start = cursor_posting
        end = cursor_posting + count
        byte_start = int(byte_end[2 * start - 1]) if start else 0
        byte_stop = int(byte_end[2 * end - 1]) if end else 0
        body = encoded[byte_start:byte_stop] + codes[start:end]
        files[shard] = compress(bytes(header) + body)
        cursor_posting = end
    empty = None
    for shard in every:  # a shard without terms is still a file: no 404s for the browser
        if shard not in files:
            files[shard] = empty = empty or compress(b"\x00")
    return files


def _postings_stream(postings: Postings, term_ids: np.ndarray) -> tuple[bytes, np.ndarray, bytes, np.ndarray]:
    """The postings of these terms in shard order: by term as given, then field, then slot.

    Returns the varint stream (each (term, field)'s slot gaps, then its frequencies), the
    stream's byte offset after each value, the length codes in the same order, and each
    term's df per field. Placed field by field (a counting sort: each field's postings are
    already by term, then slot), not sorted."""
    starts, ends = postings.ranges(term_ids)
    rows = postings.rows_of(term_ids)
    segment_of_row = np.repeat(np.arange(len(term_ids)), ends - starts)
    tf = postings.tf[rows]
    present = [np.flatnonzero(tf[:, f]) for f in range(FIELDS)]
    df = np.zeros((len(term_ids), FIELDS), dtype=np.int64)
    for f, where in enumerate(present):
        df[:, f] = np.bincount(segment_of_row[where], minlength=len(term_ids))
    flat = df.ravel()  # by (term, field): the order of the stream's segments
    seg_start = np.cumsum(flat) - flat
    total = int(flat.sum())
    slots = [postings.slot[rows[where]] for where in present]
    # The frequencies are 32-bit already (Postings.tf); the slots decide. A gap is at most its slot.
    top = max((int(s.max()) for s in slots if len(s)), default=0)
    stream = np.empty(2 * total, dtype=np.uint32 if top < 1 << 32 else np.uint64)
    codes = np.empty(total, dtype=np.uint8)
    for f, where in enumerate(present):
        term = segment_of_row[where]
        before = np.cumsum(df[:, f]) - df[:, f]  # this field's postings of earlier terms
        within = np.arange(len(where)) - before[term]
        segment = term * FIELDS + f
        place = seg_start[segment] + within
        gaps = slots[f].copy()
        gaps[1:] -= slots[f][:-1]
        firsts = within == 0
        gaps[firsts] = slots[f][firsts]
        at = place + seg_start[segment]  # a segment's gaps, then its frequencies
        stream[at] = gaps
        stream[at + flat[segment]] = tf[where, f]
        codes[place] = postings.code[rows[where], f]
    encoded, sizes = varints(stream)
    return encoded, np.cumsum(sizes), codes.tobytes(), df


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
    return compress(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


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
