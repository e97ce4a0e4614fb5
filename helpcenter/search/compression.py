"""The search export's gzip: libdeflate at one level, and the name of what its bytes depend on.

A module of its own so that the build's state stamp can name the compressor without importing
the export (and numpy, which a build with nothing to do never imports)."""

from __future__ import annotations

import deflate

LEVEL = 1
"""libdeflate's level 1: 10,000 articles' 2,048 shards in 52 ms, 6.14 MB, and their documents in
0.24 s, 16.3 MB (level 2: 5.93 MB and 16.2 MB, for 0.12 s more). Varints and text compress
little further."""


def compress(data: bytes) -> bytes:
    """gzip, by libdeflate: as fast as ISA-L was on this data (zlib takes three times as long),
    and its output depends on the input, the level and its version alone, as its author states.
    ISA-L promises no such thing (it picks its code for the CPU), and in one CI run a clean
    build inside the test process wrote a shard as other (valid) bytes than the same input gave
    in every other process; the cause was not found."""
    # libdeflate writes no time and no file name into the header.
    return bytes(deflate.gzip_compress(data, LEVEL))


def version() -> str:
    """What the bytes depend on besides the input. In the state's stamp: a build after it
    changes starts clean, so no site mixes two versions' bytes."""
    return f"deflate {deflate.__version__}, level {LEVEL}"
