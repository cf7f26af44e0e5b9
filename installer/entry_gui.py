"""PyInstaller entry of the windowed `liangxin` executable."""

import sys

from desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
