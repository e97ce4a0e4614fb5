"""Build this repository's sample help center into site/: `python build.py`."""

import sys

from helpcenter.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
