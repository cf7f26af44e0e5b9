-- Version 7: users, roles and sign-in events (ACCESS.md).
-- Roles are a JSON list in the user's row, not a join table: the five roles are a
-- fixed set read together at every check, and a role change is then one audited
-- row whose before/after shows the whole change.
-- The password hash (scrypt, salt and parameters inside the text) is the one
-- column the audit triggers leave out (audit.SECRET_COLUMNS); password_changed_at
-- is what the log shows of a new password.
CREATE TABLE app_user (
    id                  TEXT PRIMARY KEY,
    login               TEXT NOT NULL CHECK (length(trim(login)) > 0 AND login = trim(login)),
    display_name        TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
    roles               TEXT NOT NULL CHECK (json_valid(roles) AND json_type(roles) = 'array'
                                             AND json_array_length(roles) > 0),
    password_hash       TEXT NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
    password_changed_at TEXT NOT NULL,
    must_change         INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
    failed_attempts     INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until        TEXT,
    disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    last_sign_in        TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    deleted_at          TEXT
) STRICT;
CREATE UNIQUE INDEX app_user_login ON app_user(lower(login)) WHERE deleted_at IS NULL;

-- Sign-in, sign-out, failures, lock-outs, refusals, resets: rows that are only ever
-- added. Audited like every table, so each event is a link of the audit chain.
CREATE TABLE access_event (
    id      TEXT PRIMARY KEY,
    at      TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN (
                'sign_in', 'sign_out', 'sign_in_failed', 'locked_out', 'refused',
                'user_added', 'role_change', 'user_disabled', 'password_reset',
                'password_changed', 'recovery_code', 'recovery_reset')),
    user_id TEXT,
    login   TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TRIGGER access_event_no_update BEFORE UPDATE ON access_event
BEGIN SELECT RAISE(ABORT, '登录记录不能修改'); END;
CREATE TRIGGER access_event_no_delete BEFORE DELETE ON access_event
BEGIN SELECT RAISE(ABORT, '登录记录不能删除'); END;

-- Secrets that are not a user's: the one-time recovery code, as a scrypt hash.
-- Not audited (the log must never hold a hash); setting it is an access_event.
CREATE TABLE app_secret (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Maker–checker: the user who made a run (created_by keeps the name as shown).
ALTER TABLE payment_run ADD COLUMN created_by_user_id TEXT;
