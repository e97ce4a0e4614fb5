"""A 5 MB article (about 800,000 words in 5,000 paragraphs with headings): it must build."""

import pathlib


def generate(root: pathlib.Path) -> None:
    paragraph = " ".join(f"word{i % 997} fee deposit withdrawal" for i in range(40)) + "\n\n"
    parts = ["---\ntitle: The big fee handbook\ncategory: product-documents\npublished: 2024-01-02\n---\n", "Opening paragraph.\n\n"]
    size = sum(len(p) for p in parts)
    number = 0
    while size < 5 * 1024 * 1024:
        if number % 100 == 0:
            parts.append(f"## Section {number // 100}\n\n")
        parts.append(paragraph)
        size += len(paragraph)
        number += 1
    parts.append("The very last paragraph of the handbook.\n")
    path = root / "articles" / "product-documents" / "handbook.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), "utf-8")
