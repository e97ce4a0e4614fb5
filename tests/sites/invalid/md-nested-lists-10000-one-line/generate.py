"""10,000 nested list levels written on one line (``- - - ... deep``): 20 kB, no indentation."""

import pathlib

LEVELS = 10_000


def generate(root: pathlib.Path) -> None:
    lines = ["---", "title: Deep lists", "category: faq", "published: 2024-01-02", "---", "A list follows.", ""]
    lines += ["- " * LEVELS + "deepest item", "", "After the list.", ""]
    path = root / "articles" / "faq" / "deep.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), "utf-8")
