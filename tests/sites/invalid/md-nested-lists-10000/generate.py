"""10,000 nested list levels, each item indented one tab more than the last (a 50 MB file:
with four spaces per level it would be 200 MB)."""

import pathlib

LEVELS = 10_000


def generate(root: pathlib.Path) -> None:
    path = root / "articles" / "faq" / "deep.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        f.write("---\ntitle: Deep lists\ncategory: faq\npublished: 2024-01-02\n---\nA list follows.\n\n")
        for level in range(LEVELS):
            f.write("\t" * level + f"- level {level}\n")
        f.write("\nAfter the list.\n")
