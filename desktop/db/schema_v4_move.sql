-- Version 4, part 1: a payment line keeps its months (JSON) in its own row.
-- A quarterly run stored ~38,000 rows (10,000 lines, 28,000 months), each through
-- a locked-run trigger; the months are part of the line, read and written with it.
-- The triggers that would refuse moving a locked run's months (and resealing
-- the run) are dropped here and recreated in part 2, in the same transaction.
DROP TRIGGER IF EXISTS payment_line_locked_update;
DROP TRIGGER IF EXISTS payment_run_locked_update;
ALTER TABLE payment_line ADD COLUMN months_json TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(months_json) AND json_type(months_json) = 'array');
UPDATE payment_line SET months_json = coalesce((
    SELECT json_group_array(json_array(m.month, m.posted_days, m.days_in_month, m.amount_fen,
                                       coalesce(m.rule, ''), coalesce(m.note, '')))
    FROM (SELECT * FROM payment_line_month WHERE line_id = payment_line.id
          AND deleted_at IS NULL ORDER BY month) AS m), '[]');
