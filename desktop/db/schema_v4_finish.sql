-- Version 4, part 2: the month table goes; the locked-run triggers come back.
DROP TRIGGER IF EXISTS payment_line_month_locked_insert;
DROP TRIGGER IF EXISTS payment_line_month_locked_update;
DROP TRIGGER IF EXISTS payment_line_month_locked_delete;
DROP INDEX IF EXISTS payment_line_month_line;
DROP TABLE payment_line_month;
CREATE TRIGGER payment_run_locked_update BEFORE UPDATE ON payment_run
WHEN OLD.status = 'locked'
BEGIN SELECT RAISE(ABORT, '发放批次已锁定，不能修改'); END;
CREATE TRIGGER payment_line_locked_update BEFORE UPDATE ON payment_line
WHEN (SELECT status FROM payment_run WHERE id IN (OLD.run_id, NEW.run_id) AND status = 'locked') IS NOT NULL
BEGIN SELECT RAISE(ABORT, '发放批次已锁定，不能修改明细'); END;
