"""10,000 nested block quotes on one line (``> > > ... text``)."""

import pathlib

LEVELS = 10_000


def generate(root: pathlib.Path) -> None:
    lines = ["---", "title: Deep quotes", "category: faq", "published: 2024-01-02", "---", "Quotes follow.", ""]
    lines += ["> " * LEVELS + "deepest words", "", "After the quotes.", ""]
    path = root / "articles" / "faq" / "deep.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), "utf-8")
