-- Version 7: visits to organizations and the problems found there, tracked to
-- closure (PROBLEMS.md). Township-owned data: every row reaches its organization
-- (a step carries its problem's organization_id, so a package can place it).

CREATE TABLE visit (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organization(id),
    visited_on      TEXT NOT NULL CHECK (date(visited_on) = visited_on),
    instructor_id   TEXT REFERENCES instructor(id),
    officer_id      TEXT REFERENCES liaison_officer(id),
    kind            TEXT NOT NULL DEFAULT 'visit'
                        CHECK (kind IN ('visit', 'meeting', 'phone', 'walk_in')),
    findings        TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
) STRICT;
CREATE INDEX visit_organization ON visit(organization_id, visited_on) WHERE deleted_at IS NULL;

-- status and evaluation are the latest step's; closed_on and outcome those of the
-- latest report back. evaluation is the rating of the current closure (a
-- dissatisfied rating reopens the problem and stays in problem_step only).
CREATE TABLE problem (
    id                 TEXT PRIMARY KEY,
    organization_id    TEXT NOT NULL REFERENCES organization(id),
    visit_id           TEXT REFERENCES visit(id),
    found_on           TEXT NOT NULL CHECK (date(found_on) = found_on),
    category           TEXT NOT NULL CHECK (category IN ('recruitment', 'policy_payment',
                           'financing', 'land_approval', 'rights', 'party_building', 'other')),
    description        TEXT NOT NULL CHECK (length(trim(description)) > 0),
    responsible_unit   TEXT NOT NULL CHECK (length(trim(responsible_unit)) > 0),
    responsible_person TEXT,
    deadline           TEXT NOT NULL CHECK (date(deadline) = deadline AND deadline >= found_on),
    status             TEXT NOT NULL DEFAULT 'accepted'
                           CHECK (status IN ('accepted', 'supervising', 'resolved', 'unresolved')),
    closed_on          TEXT CHECK (closed_on IS NULL OR date(closed_on) = closed_on),
    outcome            TEXT,
    evaluation         TEXT CHECK (evaluation IS NULL
                           OR evaluation IN ('satisfied', 'basically_satisfied')),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    deleted_at         TEXT,
    CHECK ((closed_on IS NOT NULL) = (status IN ('resolved', 'unresolved'))),
    CHECK (evaluation IS NULL OR status IN ('resolved', 'unresolved'))
) STRICT;
-- The list's filters: open problems by deadline (overdue = open and deadline
-- before the day); a township's open problems, reached from its organizations
-- (organization_area_name) then each one's open problems by deadline; by status,
-- unit, category; the problems of an organization (its page).
CREATE INDEX problem_open_deadline ON problem(deadline, organization_id)
    WHERE deleted_at IS NULL AND status IN ('accepted', 'supervising');
CREATE INDEX problem_open_organization ON problem(organization_id, deadline)
    WHERE deleted_at IS NULL AND status IN ('accepted', 'supervising');
CREATE INDEX problem_organization ON problem(organization_id, found_on) WHERE deleted_at IS NULL;
CREATE INDEX problem_status ON problem(status, deadline) WHERE deleted_at IS NULL;
CREATE INDEX problem_unit ON problem(responsible_unit, deadline) WHERE deleted_at IS NULL;
CREATE INDEX problem_category ON problem(category, deadline) WHERE deleted_at IS NULL;
CREATE INDEX problem_found ON problem(found_on) WHERE deleted_at IS NULL;
CREATE INDEX problem_visit ON problem(visit_id) WHERE visit_id IS NOT NULL;

-- Each step of a problem, in order (seq 1 is its acceptance): the date, who, the
-- note, and the status after it. An evaluation step holds the rating given.
CREATE TABLE problem_step (
    id              TEXT PRIMARY KEY,
    problem_id      TEXT NOT NULL REFERENCES problem(id),
    organization_id TEXT NOT NULL REFERENCES organization(id),
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    taken_on        TEXT NOT NULL CHECK (date(taken_on) = taken_on),
    action          TEXT NOT NULL CHECK (action IN ('accept', 'supervise', 'resolve',
                        'unresolve', 'evaluate')),
    status_after    TEXT NOT NULL
                        CHECK (status_after IN ('accepted', 'supervising', 'resolved', 'unresolved')),
    evaluation      TEXT CHECK (evaluation IS NULL
                        OR evaluation IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    taken_by        TEXT NOT NULL,
    note            TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT,
    CHECK ((action = 'evaluate') = (evaluation IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX problem_step_live_seq ON problem_step(problem_id, seq) WHERE deleted_at IS NULL;
CREATE INDEX problem_step_taken ON problem_step(taken_on, problem_id) WHERE deleted_at IS NULL;
