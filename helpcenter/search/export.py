"""The static search export: term-sharded postings the browser scores exactly as Whoosh does.

Format (version 1) is documented in docs/search-format.md. In short, under ``search/``:
``meta.json`` (collection statistics), ``t/<shard>.bin`` (postings: raw term frequencies and
one-byte field lengths, never precomputed scores, so an edit rewrites only the shards of the
terms it touched plus meta.json), ``k/<block>.bin`` (updated date and views, for sorting), and
``d/<slot>.bin`` (one article's display values and text, fetched only for shown results).
Binary files are gzip-compressed by us, so transfer sizes do not depend on the host.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import engine

FORMAT_VERSION = 1
KEYS_BLOCK_BITS = 12
"""Sort keys are grouped by ``slot >> 12``: a query fetches the blocks its matches fall in."""


@dataclass(frozen=True)
class ExportDoc:
    doc: engine.IndexDoc
    display: dict[str, object]
    """What a result shows: title, url, category, published/updated (display + ISO), views."""


def fnv1a(data: bytes) -> int:
    """32-bit FNV-1a: trivial to reproduce in JavaScript."""
    h = 0x811C9DC5
    for byte in data:
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def shard_count(vocabulary: int) -> int:
    count = 64
    while count * 16 < vocabulary:
        count *= 2
    return count


def varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def compress(data: bytes) -> bytes:
    # mtime=0 and no file name: the same input gives the same bytes (reproducible builds).
    return gzip.compress(data, compresslevel=9, mtime=0)


Postings = dict[str, dict[int, list[tuple[int, int]]]]
"""term → field index → [(slot, tf)], slots ascending."""


def invert(docs: Iterable[engine.IndexDoc]) -> Postings:
    postings: Postings = {}
    for doc in sorted(docs, key=lambda d: d.slot):
        for index, name in enumerate(engine.TEXT_FIELDS):
            for term, tf in doc.terms.get(name, {}).items():
                postings.setdefault(term, {}).setdefault(index, []).append((doc.slot, tf))
    return postings


def encode_shard(terms: Mapping[str, dict[int, list[tuple[int, int]]]], codes: Mapping[int, tuple[int, ...]]) -> bytes:
    """One shard: its terms in byte order, each with per-field postings.

    ``codes``: slot → one-byte length code per field.
    """
    out = bytearray()
    items = sorted((term.encode("utf-8"), term) for term in terms)
    varint(len(items), out)
    for raw, term in items:
        varint(len(raw), out)
        out += raw
        fields = terms[term]
        mask = sum(1 << i for i in fields)
        varint(mask, out)
        for index in sorted(fields):
            plist = fields[index]
            varint(len(plist), out)
            previous = 0
            for slot, tf in plist:
                varint(slot - previous, out)
                varint(tf, out)
                out.append(codes[slot][index])
                previous = slot
    return compress(bytes(out))


def encode_keys(rows: list[tuple[int, int, int]]) -> bytes:
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


def meta(docs: list[engine.IndexDoc], span: int, categories: list[str], shards: int) -> bytes:
    totals = [sum(d.lengths.get(name, 0) for d in docs) for name in engine.TEXT_FIELDS]
    value = {
        "format": FORMAT_VERSION,
        "engine": engine.ENGINE_NAME,
        "doc_count": len(docs),
        "span": span,
        "categories": categories,
        "fields": list(engine.TEXT_FIELDS),
        "boosts": [engine.FIELD_BOOSTS[name] for name in engine.TEXT_FIELDS],
        "totals": totals,
        "B": engine.B,
        "K1": engine.K1,
        "lengths": list(engine.LENGTH_TABLE),
        "shards": shards,
        "keys_block_bits": KEYS_BLOCK_BITS,
        "max_terms": 20,
    }
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


def doc_file(export: ExportDoc) -> bytes:
    value = dict(export.display)
    value["text"] = export.doc.stored["text"]
    return compress(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def export_files(docs: list[ExportDoc], span: int, categories: list[str]) -> dict[str, bytes]:
    """Every file under search/ (paths relative to it), from scratch."""
    index_docs = [e.doc for e in docs]
    postings = invert(index_docs)
    shards = shard_count(len(postings))
    codes = {d.slot: tuple(engine.length_code(d.lengths.get(n, 0)) for n in engine.TEXT_FIELDS) for d in index_docs}
    by_shard: dict[int, dict[str, dict[int, list[tuple[int, int]]]]] = {}
    for term, fields in postings.items():
        by_shard.setdefault(fnv1a(term.encode("utf-8")) % shards, {})[term] = fields
    files: dict[str, bytes] = {"meta.json": meta(index_docs, span, categories, shards)}
    for shard, terms in by_shard.items():
        files[f"t/{shard:x}.bin"] = encode_shard(terms, codes)
    blocks: dict[int, list[tuple[int, int, int]]] = {}
    for e in sorted(docs, key=lambda e: e.doc.slot):
        s = e.doc.stored
        blocks.setdefault(e.doc.slot >> KEYS_BLOCK_BITS, []).append((e.doc.slot, s["updated_ts"], s["views"]))
    for block, rows in blocks.items():
        files[f"k/{block:x}.bin"] = encode_keys(rows)
    for e in docs:
        files[f"d/{e.doc.slot:x}.bin"] = doc_file(e)
    return files
