"""A UTF-8 BOM and CRLF line ends: generated so that no git setting (autocrlf) can normalise them away.

The text is exactly file-lf-twin's article; only the BOM and the line ends differ.
"""

import pathlib

TEXT = (
    "---\n"
    "title: Line endings\n"
    "category: faq\n"
    "published: 2024-01-02\n"
    "tags: [bom, crlf]\n"
    "---\n"
    "First paragraph.\n"
    "\n"
    "## Details\n"
    "\n"
    "- one\n"
    "- two\n"
    "\n"
    "Last line.\n"
)


def generate(root: pathlib.Path) -> None:
    path = root / "articles" / "faq" / "line-endings.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"))
