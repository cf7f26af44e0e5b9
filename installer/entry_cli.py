"""PyInstaller entry of the console `liangxin-cli` executable."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
