"""Files that cannot be read: a dangling symlink named *.md (unreadable for everyone, root too)
and a chmod 000 file (unreadable only when not running as root)."""

import os
import pathlib


def generate(root: pathlib.Path) -> None:
    faq = root / "articles" / "faq"
    os.symlink("moved-away.md", faq / "gone.md")
    locked = faq / "locked.md"
    locked.write_text("---\ntitle: Locked\ncategory: faq\npublished: 2024-01-02\n---\nLocked text.\n", "utf-8")
    locked.chmod(0)
