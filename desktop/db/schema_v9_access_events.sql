-- Version 9: more kinds of access event (ACCESS.md): revealing a full number
-- (PIPL), re-enabling and unlocking an account, and the idle lock. SQLite cannot
-- change a CHECK in place: the table is rebuilt with the same rows; its audit
-- triggers are made again afterwards (migrations._v9_access_events), and the
-- copy fires none, so the log gains no rows.
CREATE TABLE access_event_v9 (
    id      TEXT PRIMARY KEY,
    at      TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN (
                'sign_in', 'sign_out', 'sign_in_failed', 'locked_out', 'refused',
                'user_added', 'role_change', 'user_disabled', 'password_reset',
                'password_changed', 'recovery_code', 'recovery_reset',
                'reveal', 'user_enabled', 'user_unlocked', 'user_renamed',
                'session_locked', 'session_resumed')),
    user_id TEXT,
    login   TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO access_event_v9 (id, at, kind, user_id, login, detail)
    SELECT id, at, kind, user_id, login, detail FROM access_event;
DROP TABLE access_event;
ALTER TABLE access_event_v9 RENAME TO access_event;
CREATE TRIGGER access_event_no_update BEFORE UPDATE ON access_event
BEGIN SELECT RAISE(ABORT, '登录记录不能修改'); END;
CREATE TRIGGER access_event_no_delete BEFORE DELETE ON access_event
BEGIN SELECT RAISE(ABORT, '登录记录不能删除'); END;
