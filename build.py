"""Build this repository's sample help center into site/: `python build.py`."""

import sys

from helpcenter.cli import run

if __name__ == "__main__":
    run(["build", *sys.argv[1:]])
