-- Version 5: adjustment runs (POLICY.md §5: a mistake in a locked run is corrected
-- by a new adjustment run). An adjustment is a stipend run (kind 'stipend': it pays
-- stipend months, and later stipend runs count what it paid) whose lines pay the
-- difference between what is due now and what locked stipend runs paid.
ALTER TABLE payment_run ADD COLUMN adjusts INTEGER NOT NULL DEFAULT 0 CHECK (adjusts IN (0, 1));
