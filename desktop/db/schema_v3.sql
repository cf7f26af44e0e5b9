-- Version 3: a payment run's lines and months are sealed by a digest on the run.
-- They were audited row by row: a draft for 10,000 officers wrote ~38,000 audit
-- rows on every recompute (and as many again to delete the old ones), most of the
-- 1.5 s a run took. They are derived data: the run's own audited row now carries
-- the SHA-256 of all its lines and months, `check` recomputes it, and the locked-
-- run triggers refuse any change as before.
ALTER TABLE payment_run ADD COLUMN lines_sha256 TEXT;
DROP TRIGGER IF EXISTS audit_payment_line_insert;
DROP TRIGGER IF EXISTS audit_payment_line_update;
DROP TRIGGER IF EXISTS audit_payment_line_delete;
DROP TRIGGER IF EXISTS audit_payment_line_month_insert;
DROP TRIGGER IF EXISTS audit_payment_line_month_update;
DROP TRIGGER IF EXISTS audit_payment_line_month_delete;
