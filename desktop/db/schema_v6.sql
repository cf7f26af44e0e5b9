-- Version 6: the data exchange between townships and the county (EXCHANGE.md).
-- The installation's identity lives in app_setting (installation_id, _level,
-- _township), audited like every setting; these tables remember merges.

-- Their id → our id, for a record both sides entered (same natural key).
CREATE TABLE record_alias (
    table_name TEXT NOT NULL,
    alias_id   TEXT NOT NULL,
    target_id  TEXT NOT NULL,
    sender_id  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (table_name, alias_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX record_alias_target ON record_alias(table_name, target_id);

-- The content hash of each row as last merged from a sender: the base of the
-- three-way comparison (theirs / ours / base).
CREATE TABLE exchange_base (
    sender_id      TEXT NOT NULL,
    table_name     TEXT NOT NULL,
    row_id         TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    PRIMARY KEY (sender_id, table_name, row_id)
) STRICT, WITHOUT ROWID;

-- Every package made here and every package merged here.
CREATE TABLE exchange_log (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    direction          TEXT NOT NULL CHECK (direction IN ('export', 'import')),
    installation_id    TEXT NOT NULL,
    installation_name  TEXT NOT NULL,
    level              TEXT NOT NULL CHECK (level IN ('county', 'township')),
    township           TEXT,
    sequence           INTEGER NOT NULL CHECK (sequence >= 1),
    package_created_at TEXT NOT NULL,
    at                 TEXT NOT NULL,
    operator           TEXT NOT NULL,
    file_name          TEXT NOT NULL,
    row_count          INTEGER NOT NULL DEFAULT 0,
    counts_json        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counts_json))
) STRICT;
CREATE INDEX exchange_log_sender ON exchange_log(direction, installation_id, sequence);
CREATE TRIGGER exchange_log_no_update BEFORE UPDATE ON exchange_log
BEGIN SELECT RAISE(ABORT, '交换记录不能修改'); END;
