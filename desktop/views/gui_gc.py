"""Python's cyclic garbage collector, run on the GUI thread only.

The collector runs in whichever thread happens to allocate when a threshold is
crossed. When that is a worker thread (a service running under views.worker)
and the garbage holds a Qt object (a model in a cycle with a lambda, say), Qt
destroys the object from the wrong thread and the process can crash. So the
automatic collector is switched off and a GUI-thread timer collects by the same
thresholds instead, as qutebrowser does. Reference counting, which frees almost
everything, is not affected.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Collects garbage from a timer on the thread that created it (the GUI thread)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)

    def start(self) -> GuiThreadCollector:
        """Switch the automatic collector off and start collecting from the timer."""
        gc.disable()
        self._timer.start()
        return self

    def stop(self) -> None:
        """Give collection back to Python."""
        self._timer.stop()
        gc.enable()

    def collect(self) -> int:
        """Collect the generations whose thresholds are crossed, as Python would."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        found = 0
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                found += gc.collect(generation)
                break  # collecting a generation collects the younger ones too
        return found


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Install the collector for `app` (once) and return it."""
    existing = app.findChild(GuiThreadCollector)
    return existing if existing is not None else GuiThreadCollector(app).start()
