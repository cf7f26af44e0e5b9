"""Child process of tests/views/test_instance_guard.py: holds a database's claim.

Usage: python instance_holder.py DB

Claims DB as the GUI does at start, prints "ready" (or "refused"), then prints
"knocked" each time another start asks for the window, until killed or 20 s pass.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer

from desktop.views.instance import claim_database


def main(argv: list[str]) -> int:
    app = QCoreApplication(argv[:1])
    claim = claim_database(argv[1])
    if claim is None:
        print("refused", flush=True)
        return 1
    claim.knocked.connect(lambda: print("knocked", flush=True))
    QTimer.singleShot(20_000, app.quit)
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
