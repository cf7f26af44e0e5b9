-- Version 1: the registry, subsidy and bulletin tables (DESIGN.md, Data rules).
-- Every record: UUID text key, created_at/updated_at (UTC ISO), deleted_at tombstone.

CREATE TABLE app_setting (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE area (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind       TEXT NOT NULL CHECK (kind IN ('county', 'township', 'street', 'zone', 'community')),
    parent_id  TEXT REFERENCES area(id),
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX area_live_name ON area(parent_id, name) WHERE deleted_at IS NULL;

CREATE TABLE organization (
    id                       TEXT PRIMARY KEY,
    name                     TEXT NOT NULL CHECK (length(trim(name)) > 0),
    uscc                     TEXT CHECK (uscc IS NULL OR length(uscc) = 18),
    kind                     TEXT NOT NULL CHECK (kind IN ('enterprise', 'social_org')),
    industry                 TEXT CHECK (industry IN ('express', 'food_delivery', 'ride_hailing',
                                 'road_freight', 'internet', 'property', 'manufacturing', 'other')),
    is_new_business_form     INTEGER NOT NULL DEFAULT 0 CHECK (is_new_business_form IN (0, 1)),
    area_id                  TEXT NOT NULL REFERENCES area(id),
    address                  TEXT,
    employee_count           INTEGER CHECK (employee_count >= 0),
    party_member_count       INTEGER CHECK (party_member_count >= 0),
    party_org_form           TEXT NOT NULL DEFAULT 'none'
                                 CHECK (party_org_form IN ('standalone', 'joint', 'regional', 'none')),
    party_org_name           TEXT,
    party_org_established_on TEXT CHECK (party_org_established_on IS NULL
                                 OR date(party_org_established_on) = party_org_established_on),
    has_union                INTEGER NOT NULL DEFAULT 0 CHECK (has_union IN (0, 1)),
    has_youth_league         INTEGER NOT NULL DEFAULT 0 CHECK (has_youth_league IN (0, 1)),
    has_women_federation     INTEGER NOT NULL DEFAULT 0 CHECK (has_women_federation IN (0, 1)),
    industry_party_committee TEXT,
    registered_on            TEXT CHECK (registered_on IS NULL OR date(registered_on) = registered_on),
    closed_on                TEXT CHECK (closed_on IS NULL OR date(closed_on) = closed_on),
    contact_name             TEXT,
    contact_phone            TEXT,
    note                     TEXT,
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL,
    deleted_at               TEXT
) STRICT;
CREATE UNIQUE INDEX organization_live_uscc ON organization(uscc)
    WHERE deleted_at IS NULL AND uscc IS NOT NULL;
CREATE INDEX organization_area_name ON organization(area_id, name) WHERE deleted_at IS NULL;
CREATE INDEX organization_name ON organization(name) WHERE deleted_at IS NULL;
CREATE INDEX organization_kind ON organization(kind, industry) WHERE deleted_at IS NULL;

CREATE TABLE guidance_station (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    area_id    TEXT REFERENCES area(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX guidance_station_live_name ON guidance_station(name) WHERE deleted_at IS NULL;

CREATE TABLE instructor (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL CHECK (length(trim(name)) > 0),
    id_number           TEXT NOT NULL CHECK (length(id_number) = 18),
    phone               TEXT,
    work_unit           TEXT,
    position            TEXT,
    guidance_station_id TEXT REFERENCES guidance_station(id),
    area_id             TEXT REFERENCES area(id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    deleted_at          TEXT
) STRICT;
CREATE UNIQUE INDEX instructor_live_id_number ON instructor(id_number) WHERE deleted_at IS NULL;
CREATE INDEX instructor_name ON instructor(name) WHERE deleted_at IS NULL;

CREATE TABLE instructor_assignment (
    id              TEXT PRIMARY KEY,
    instructor_id   TEXT NOT NULL REFERENCES instructor(id),
    organization_id TEXT NOT NULL REFERENCES organization(id),
    start_on        TEXT NOT NULL CHECK (date(start_on) = start_on),
    end_on          TEXT CHECK (end_on IS NULL OR (date(end_on) = end_on AND end_on >= start_on)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
) STRICT;
CREATE INDEX instructor_assignment_instructor ON instructor_assignment(instructor_id)
    WHERE deleted_at IS NULL;
CREATE INDEX instructor_assignment_organization ON instructor_assignment(organization_id)
    WHERE deleted_at IS NULL;

CREATE TABLE liaison_officer (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    id_number    TEXT NOT NULL CHECK (length(id_number) = 18),
    phone        TEXT,
    home_unit    TEXT,
    position     TEXT,
    bank_name    TEXT,
    bank_account TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
) STRICT;
CREATE UNIQUE INDEX liaison_officer_live_id_number ON liaison_officer(id_number)
    WHERE deleted_at IS NULL;
CREATE INDEX liaison_officer_name ON liaison_officer(name) WHERE deleted_at IS NULL;

CREATE TABLE posting (
    id              TEXT PRIMARY KEY,
    officer_id      TEXT NOT NULL REFERENCES liaison_officer(id),
    organization_id TEXT NOT NULL REFERENCES organization(id),
    start_on        TEXT NOT NULL CHECK (date(start_on) = start_on),
    end_on          TEXT CHECK (end_on IS NULL OR (date(end_on) = end_on AND end_on >= start_on)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
) STRICT;
CREATE INDEX posting_officer ON posting(officer_id) WHERE deleted_at IS NULL;
CREATE INDEX posting_organization ON posting(organization_id) WHERE deleted_at IS NULL;
CREATE INDEX posting_dates ON posting(start_on, end_on) WHERE deleted_at IS NULL;

CREATE TABLE assessment (
    id         TEXT PRIMARY KEY,
    officer_id TEXT NOT NULL REFERENCES liaison_officer(id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    grade      TEXT NOT NULL CHECK (grade IN ('excellent', 'good', 'competent', 'incompetent')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX assessment_live_officer_year ON assessment(officer_id, year)
    WHERE deleted_at IS NULL;

CREATE TABLE subsidy_policy (
    id                    TEXT PRIMARY KEY,
    year                  INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    monthly_stipend_fen   INTEGER NOT NULL CHECK (monthly_stipend_fen >= 0),
    bonus_excellent_fen   INTEGER NOT NULL CHECK (bonus_excellent_fen >= 0),
    bonus_good_fen        INTEGER NOT NULL CHECK (bonus_good_fen >= 0),
    bonus_competent_fen   INTEGER NOT NULL CHECK (bonus_competent_fen >= 0),
    bonus_incompetent_fen INTEGER NOT NULL CHECK (bonus_incompetent_fen >= 0),
    proration             TEXT NOT NULL CHECK (proration IN ('daily', 'half_month')),
    bonus_min_posted_days INTEGER NOT NULL DEFAULT 0 CHECK (bonus_min_posted_days >= 0),
    prorate_bonus         INTEGER NOT NULL DEFAULT 0 CHECK (prorate_bonus IN (0, 1)),
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    deleted_at            TEXT
) STRICT;
CREATE UNIQUE INDEX subsidy_policy_live_year ON subsidy_policy(year) WHERE deleted_at IS NULL;

CREATE TABLE payment_run (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('stipend', 'bonus')),
    period      TEXT NOT NULL,
    period_start TEXT NOT NULL CHECK (date(period_start) = period_start),
    period_end  TEXT NOT NULL CHECK (date(period_end) = period_end AND period_end >= period_start),
    policy_json TEXT NOT NULL CHECK (json_valid(policy_json)),
    status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'locked')),
    total_fen   INTEGER NOT NULL DEFAULT 0,
    note        TEXT,
    created_by  TEXT,
    locked_at   TEXT,
    locked_by   TEXT,
    audit_hash  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
) STRICT;
CREATE INDEX payment_run_kind_period ON payment_run(kind, period_start) WHERE deleted_at IS NULL;

CREATE TABLE payment_line (
    id               TEXT PRIMARY KEY,
    run_id           TEXT NOT NULL REFERENCES payment_run(id),
    officer_id       TEXT NOT NULL REFERENCES liaison_officer(id),
    seq              INTEGER NOT NULL,
    officer_name     TEXT NOT NULL,
    id_number        TEXT NOT NULL,
    home_unit        TEXT,
    organizations    TEXT,
    township         TEXT,
    bank_name        TEXT,
    bank_account     TEXT,
    posted_days      INTEGER NOT NULL DEFAULT 0 CHECK (posted_days >= 0),
    grade            TEXT CHECK (grade IS NULL OR grade IN ('excellent', 'good', 'competent', 'incompetent')),
    amount_fen       INTEGER NOT NULL,
    rule             TEXT,
    note             TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT
) STRICT;
CREATE INDEX payment_line_run ON payment_line(run_id, seq);
CREATE INDEX payment_line_officer ON payment_line(officer_id);

CREATE TABLE payment_line_month (
    id          TEXT PRIMARY KEY,
    line_id     TEXT NOT NULL REFERENCES payment_line(id),
    month       TEXT NOT NULL CHECK (length(month) = 7),
    posted_days INTEGER NOT NULL CHECK (posted_days >= 0),
    days_in_month INTEGER NOT NULL CHECK (days_in_month BETWEEN 28 AND 31),
    amount_fen  INTEGER NOT NULL,
    rule        TEXT,
    note        TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
) STRICT;
CREATE INDEX payment_line_month_line ON payment_line_month(line_id);

CREATE TABLE bulletin (
    id           TEXT PRIMARY KEY,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    number       INTEGER NOT NULL CHECK (number >= 1),
    issued_on    TEXT NOT NULL CHECK (date(issued_on) = issued_on),
    content_json TEXT NOT NULL CHECK (json_valid(content_json)),
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
    pdf          BLOB,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
) STRICT;
CREATE UNIQUE INDEX bulletin_live_number ON bulletin(year, number) WHERE deleted_at IS NULL;

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    table_name  TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_row ON audit_log(table_name, row_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志不能修改'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志不能删除'); END;

-- A locked payment run is final (POLICY.md §5): the database itself refuses change.
CREATE TRIGGER payment_run_locked_update BEFORE UPDATE ON payment_run
WHEN OLD.status = 'locked'
BEGIN SELECT RAISE(ABORT, '发放批次已锁定，不能修改'); END;
CREATE TRIGGER payment_run_locked_delete BEFORE DELETE ON payment_run
WHEN OLD.status = 'locked'
BEGIN SELECT RAISE(ABORT, '发放批次已锁定，不能删除'); END;
CREATE TRIGGER payment_line_locked_insert BEFORE INSERT ON payment_line
WHEN (SELECT status FROM payment_run WHERE id = NEW.run_id) = 'locked'
BEGIN SELECT RAISE(ABORT, '发放批次已锁定，不能增加明细'); END;
CREATE TRIGGER payment_line_locked_update BEFORE UPDATE ON payment_line
WHEN (SELECT status FROM payment_run WHERE id IN (OLD.run_id, NEW.run_id) AND status = 'locked') IS NOT NULL
BEGIN SELECT RAISE(ABORT, '发放批次已锁定，不能修改明细'); END;
CREATE TRIGGER payment_line_locked_delete BEFORE DELETE ON payment_line
WHEN (SELECT status FROM payment_run WHERE id = OLD.run_id) = 'locked'
BEGIN SELECT RAISE(ABORT, '发放批次已锁定，不能删除明细'); END;
CREATE TRIGGER payment_line_month_locked_insert BEFORE INSERT ON payment_line_month
WHEN (SELECT r.status FROM payment_line l JOIN payment_run r ON r.id = l.run_id
      WHERE l.id = NEW.line_id) = 'locked'
BEGIN SELECT RAISE(ABORT, '发放批次已锁定，不能增加明细'); END;
CREATE TRIGGER payment_line_month_locked_update BEFORE UPDATE ON payment_line_month
WHEN (SELECT r.status FROM payment_line l JOIN payment_run r ON r.id = l.run_id
      WHERE l.id = OLD.line_id) = 'locked'
BEGIN SELECT RAISE(ABORT, '发放批次已锁定，不能修改明细'); END;
CREATE TRIGGER payment_line_month_locked_delete BEFORE DELETE ON payment_line_month
WHEN (SELECT r.status FROM payment_line l JOIN payment_run r ON r.id = l.run_id
      WHERE l.id = OLD.line_id) = 'locked'
BEGIN SELECT RAISE(ABORT, '发放批次已锁定，不能删除明细'); END;

-- An issued bulletin is frozen like a locked run.
CREATE TRIGGER bulletin_issued_update BEFORE UPDATE ON bulletin
WHEN OLD.status = 'issued'
BEGIN SELECT RAISE(ABORT, '该期已印发，不能修改'); END;
CREATE TRIGGER bulletin_issued_delete BEFORE DELETE ON bulletin
WHEN OLD.status = 'issued'
BEGIN SELECT RAISE(ABORT, '该期已印发，不能删除'); END;
