-- The five daily ledgers (记实管理, plan §8): rows per market, kind and China day, and the daily
-- close (日结) that signs a day's rows with a content hash (also written into the audit chain).
--
-- Rows are never updated or deleted. Manual rows are written by staff; automatic rows are
-- derived live from the market's records while their day is open, and stored here (source
-- 'auto') when the day is closed, so the hash covers exactly what the clerk signed. A
-- correction is a new row whose `corrects` names the row it corrects; a result slip (回执) of
-- an in-person referral is a new row whose `follows` names the referral.
CREATE TABLE ledger_rows (
    id          TEXT PRIMARY KEY,
    tenant_code TEXT NOT NULL REFERENCES tenants (code),
    kind        TEXT NOT NULL CHECK (kind IN ('policy-outreach', 'employer-demand', 'labour-supply', 'employer-liaison', 'instant-matching')),
    -- The ledger day, China date YYYY-MM-DD.
    day         TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('auto', 'manual')),
    -- The record an automatic row comes from (job:<id>, engagement:<id>, check-in:<day>:<account>,
    -- account:<id>, profile:<id>); NULL for manual rows.
    source_ref  TEXT,
    -- 1: the source record reached the ledger after its own day was closed (日结后补记).
    late        BIGINT NOT NULL CHECK (late IN (0, 1)),
    -- The kind's columns (JSON object, keys as in ledgers::Kind::columns), personal data masked.
    fields      TEXT NOT NULL,
    -- 经办人: the staff account that wrote the row (or 'system'), and how it is shown.
    handler_id  TEXT NOT NULL,
    handler     TEXT NOT NULL,
    -- 经办时间: when the row (or its source record) was written, UTC text timestamp.
    handled_at  TEXT NOT NULL,
    follows     TEXT REFERENCES ledger_rows (id),
    corrects    TEXT REFERENCES ledger_rows (id),
    created_at  TEXT NOT NULL
);

CREATE INDEX ledger_rows_day ON ledger_rows (tenant_code, kind, day);
CREATE UNIQUE INDEX ledger_rows_source ON ledger_rows (tenant_code, kind, source_ref) WHERE source_ref IS NOT NULL;

-- One row per closed (market, kind, day): how many rows the day had and the sha256 of their
-- canonical serialisation. row_count 0 is a ledger closed as "none" (无).
CREATE TABLE ledger_closes (
    tenant_code  TEXT NOT NULL REFERENCES tenants (code),
    kind         TEXT NOT NULL,
    day          TEXT NOT NULL,
    row_count    BIGINT NOT NULL CHECK (row_count >= 0),
    content_hash TEXT NOT NULL,
    closed_by    TEXT NOT NULL,
    closed_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_code, kind, day)
);

CREATE INDEX ledger_closes_day ON ledger_closes (day, tenant_code);

-- A market's day as a lock: every write of that day's ledgers (a manual row, a close) first
-- bumps this row in its transaction, so a row can never slip into a day while it is being
-- closed (PostgreSQL's row lock, SQLite's write lock).
CREATE TABLE ledger_day_locks (
    tenant_code TEXT NOT NULL,
    day         TEXT NOT NULL,
    writes      BIGINT NOT NULL,
    PRIMARY KEY (tenant_code, day)
);

-- Existing installs have their permissions seeded already: grant the new `ledgers` object to
-- the market roles, as DEFAULT_POLICIES does for a fresh install (whose table is still empty
-- here and is left to the seeding), and bump the version so running hosts reload.
INSERT INTO authz_policies (role, object, action)
SELECT v.role, v.object, v.action FROM (
    SELECT 'county_admin' AS role, 'ledgers' AS object, 'read|write' AS action
    UNION ALL SELECT 'station_staff', 'ledgers', 'read|write'
    UNION ALL SELECT 'agency_staff', 'ledgers', 'read|write'
) v
WHERE EXISTS (SELECT 1 FROM authz_policies)
  AND NOT EXISTS (SELECT 1 FROM authz_policies p WHERE p.role = v.role AND p.object = v.object AND p.action = v.action);
UPDATE authz_version SET version = version + 1 WHERE id = 1;
