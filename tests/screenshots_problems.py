"""Screenshots of the 问题清单 (issue 17) on the demo database: the list with its
overdue rows, a problem's timeline, the advance dialog, an organization's page
with its visits and a problem added from a visit. Run under a display with a
Chinese font:

    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \
        python tests/screenshots_problems.py [OUT_DIR]

PNGs go to OUT_DIR (default /tmp/shots) as problems_*.png. Not part of the test run.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import screenshots  # noqa: E402
from tests.screenshots import grab, settle  # noqa: E402


def _longest_timeline_row(screen):
    """The listed problem (of the first page) with the most steps: the loop gone
    round, rated 不满意 and reopened."""
    from desktop.services import problems

    model = screen.model_
    rows = range(min(model.rowCount(), 200))
    return max(rows, key=lambda r: len(problems.timeline(screen.context.db,
                                                         model.record_at(r).problem.id)))


def _visited_organization(db):
    """The organization with the most problems found on visits."""
    from desktop.domain.registry import Organization
    from desktop.services import registry

    best = db.execute(
        "SELECT v.organization_id, count(*) AS n FROM visit v JOIN problem p ON p.visit_id = v.id"
        " GROUP BY v.organization_id ORDER BY n DESC LIMIT 1").fetchone()
    return registry.get(db, Organization, best[0])


def shoot_list(app, window) -> object:
    """The list (未办结, overdue on top) and a reopened problem's timeline."""
    screen = window.screen("问题清单")
    settle(app, 1.0)
    screen.table.selectRow(0)
    grab(app, window, "problems_list")
    screen.status.set_value(None)  # 全部状态
    screen.table.selectRow(_longest_timeline_row(screen))
    grab(app, window, "problems_timeline")
    screen.status.set_value("open")
    return screen


def shoot_dialogs(app, screen) -> None:
    """推进环节 for an overdue problem, with its note typed."""
    dialog = screen.make_form(screen.model_.record_at(0))
    dialog.note.setPlainText("已向责任单位发出督办单，请于10个工作日内反馈办理情况")
    dialog.show()
    grab(app, dialog, "problems_advance")
    dialog.close()
    from desktop.views.problems.dialogs import NewProblemDialog

    new = NewProblemDialog(screen.context, screen)
    new.show()
    grab(app, new, "problems_new")
    new.close()


def shoot_organization(app, window, db) -> None:
    """An organization's page with its 走访记录, and a problem from one of them."""
    from desktop.views.registry.organization_form import OrganizationForm

    org = _visited_organization(db)
    form = OrganizationForm(window.context, org, window)
    form.show()
    from desktop.views.problems.dialogs import VisitDialog

    visit = VisitDialog(window.context, org.id, org.name, form)
    visit.kind.set_value("meeting")
    visit.instructor.setCurrentIndex(1)
    visit.findings.setPlainText("座谈中企业反映一线技术工人招聘难，希望对接职业技能培训")
    visit.show()
    grab(app, visit, "problems_new_visit")
    visit.submit()
    form.visits.reload()
    grab(app, form, "problems_org_visits")
    form.visits.table.selectRow(0)
    from desktop.views.problems.dialogs import NewProblemDialog

    dialog = NewProblemDialog(window.context, form, visit=form.visits.selected_visit(),
                              organization_name=org.name)
    dialog.category.set_value("recruitment")
    dialog.description.setPlainText("一线技术工人缺口20人，希望对接职业技能培训")
    dialog.unit.setText("县人社局")
    dialog.show()
    grab(app, dialog, "problems_from_visit")
    dialog.close()
    form.discard()


def main() -> int:
    """Build the demo, sign in as the clerk, open the window, save the screenshots."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/shots")
    out.mkdir(parents=True, exist_ok=True)
    screenshots.OUT = out
    screenshots.ROOT = out  # grab() prints paths relative to it
    home = Path(tempfile.mkdtemp(prefix="liangxin-problem-shots-"))
    os.environ["LIANGXIN_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication

    from desktop.services import demo, users
    from desktop.views.context import AppContext
    from desktop.views.main_window import MainWindow
    from desktop.views.qt_chinese import install_qt_chinese
    from desktop.views.settings import AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_chinese(app)
    db = demo.open_demo()
    users.sign_in(db, "clerk", "demo1234")
    context = AppContext(db, operator="李录入", settings=AppSettings(home / "shots.ini"))
    window = MainWindow(context)
    window.move(0, 0)
    window.resize(1360, 820)
    window.show()
    settle(app, 1.0)
    screen = shoot_list(app, window)
    shoot_dialogs(app, screen)
    shoot_organization(app, window, db)
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
