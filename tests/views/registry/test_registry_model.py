"""The paged table models, without a window."""

from __future__ import annotations

from desktop.domain.registry import Organization, OrganizationFilter
from desktop.services import registry
from desktop.views import paged_model
from desktop.views.registry.model import OrganizationModel
from factories import uscc


def _orgs(db, township_id, n):
    for i in range(n):
        registry.create(db, Organization(name=f"公司{i:03d}", area_id=township_id, uscc=uscc(i),
                                         party_org_form="joint" if i % 4 == 0 else "none"))


def test_model_passes_qt_model_tester(qtmodeltester, db, township_id):
    _orgs(db, township_id, 12)
    model = OrganizationModel(db)
    model.reload()
    qtmodeltester.check(model, force_py=True)


def test_rows_come_a_page_at_a_time_and_the_cache_is_bounded(db, township_id, monkeypatch):
    monkeypatch.setattr(paged_model, "PAGE_SIZE", 3)
    monkeypatch.setattr(paged_model, "MAX_CACHED_PAGES", 2)
    _orgs(db, township_id, 20)
    model = OrganizationModel(db)
    model.reload()
    assert model.rowCount() == 20 and model.cached_rows == 3
    assert [model.index(r, 0).data() for r in range(20)] == [f"公司{i:03d}" for i in range(20)]
    assert model.cached_rows <= 6
    assert model.with_party_org == 5


def test_sort_by_a_service_column_and_ignore_others(db, township_id):
    _orgs(db, township_id, 5)
    model = OrganizationModel(db)
    model.reload()
    from PySide6.QtCore import Qt

    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "公司004"
    mass_column = [c.header for c in model.columns].index("群团组织")
    model.sort(mass_column, Qt.SortOrder.AscendingOrder)
    assert model.sort_column == 0 and model.index(0, 0).data() == "公司004"


def test_filter_changes_reload(db, township_id):
    _orgs(db, township_id, 8)
    model = OrganizationModel(db)
    model.set_filter(OrganizationFilter(search="公司00"))
    assert model.total == 8
    model.set_filter(OrganizationFilter(has_party_org=True))
    assert model.total == 2 and model.with_party_org == 2


def test_a_full_first_page_shows_at_once_and_the_total_follows(db, township_id, monkeypatch):
    monkeypatch.setattr(paged_model, "PAGE_SIZE", 3)
    _orgs(db, township_id, 10)
    model = OrganizationModel(db)
    pending = []
    model.count_runner = lambda count, done: pending.append((count, done))
    inserted = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    model.reload()
    assert model.rowCount() == 3 and model.counting and len(pending) == 1
    assert model.index(0, 0).data() == "公司000"
    count, done = pending.pop()
    done(count(db))  # the worker's answer, delivered in the GUI thread
    assert (model.rowCount(), model.with_party_org, model.counting) == (10, 3, False)
    assert inserted == [(3, 9)]
    assert model.index(9, 0).data() == "公司009"


def test_a_stale_total_is_ignored(db, township_id, monkeypatch):
    monkeypatch.setattr(paged_model, "PAGE_SIZE", 3)
    _orgs(db, township_id, 10)
    model = OrganizationModel(db)
    pending = []
    model.count_runner = lambda count, done: pending.append((count, done))
    model.set_filter(OrganizationFilter(search="公司"))
    model.set_filter(OrganizationFilter(search="公司00"))
    first, second = pending
    second[1](second[0](db))
    first[1]((10, {"with_party_org": 3}))  # the older search answers last
    assert model.total == 10 and model.with_party_org == 3
    model.set_filter(OrganizationFilter(search="公司001"))
    assert model.total == 1 and not model.counting and len(pending) == 2  # one page: no count
