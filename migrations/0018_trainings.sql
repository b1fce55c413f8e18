-- Skills services (技能提升, plan §4): training sessions a market's staff hold, workers'
-- enrolments in them, and the skill records completion issues. Portable SQL (see 0001).

-- A session. `enrolled` counts the places held (enrolled, attended, absent or completed
-- enrolments); it is only ever raised by a conditional UPDATE (`enrolled < capacity`) in the
-- enrolment's own transaction, so it never exceeds `capacity`.
CREATE TABLE trainings (
    id              TEXT PRIMARY KEY,
    tenant_code     TEXT NOT NULL REFERENCES tenants (code),
    kind            TEXT NOT NULL CHECK (kind IN ('guidance', 'entrepreneurship', 'skills', 'safety')),
    title           TEXT NOT NULL,
    occupation_code TEXT NOT NULL,
    -- China dates, YYYY-MM-DD.
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    place           TEXT NOT NULL,
    capacity        BIGINT NOT NULL CHECK (capacity BETWEEN 1 AND 500),
    enrolled        BIGINT NOT NULL DEFAULT 0 CHECK (enrolled >= 0 AND enrolled <= capacity),
    -- In fen; 0 means free.
    cost_cents      BIGINT NOT NULL CHECK (cost_cents >= 0),
    -- The agency that gives the session; NULL when the market gives it itself.
    provider        TEXT,
    description     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'cancelled')),
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
);

CREATE INDEX trainings_by_start ON trainings (status, starts_on);
CREATE INDEX trainings_by_tenant ON trainings (tenant_code, starts_on);

-- One worker in one session, at most once (a withdrawn enrolment is taken up again).
CREATE TABLE training_enrolments (
    training_id TEXT NOT NULL REFERENCES trainings (id),
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    status      TEXT NOT NULL CHECK (status IN ('enrolled', 'withdrawn', 'cancelled', 'attended', 'absent', 'completed')),
    enrolled_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (training_id, account_id)
);

CREATE INDEX training_enrolments_by_account ON training_enrolments (account_id);

-- What a completed session gave the worker; the certificate (职业技能等级证书) columns are all
-- set or all NULL, and the level is 1 (五级/初级工) to 5 (一级/高级技师).
CREATE TABLE skill_records (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    training_id     TEXT NOT NULL REFERENCES trainings (id),
    tenant_code     TEXT NOT NULL REFERENCES tenants (code),
    occupation_code TEXT NOT NULL,
    kind            TEXT NOT NULL,
    completed_on    TEXT NOT NULL,
    cert_number     TEXT,
    cert_issuer     TEXT,
    cert_issued_on  TEXT,
    cert_level      BIGINT CHECK (cert_level BETWEEN 1 AND 5),
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (account_id, training_id),
    CHECK ((cert_number IS NULL) = (cert_level IS NULL))
);

CREATE INDEX skill_records_by_tenant ON skill_records (tenant_code, completed_on);

-- Certified levels per occupation, JSON `{"4-10-01-06": 4}`, kept in step with skill_records
-- (the highest certificate level per occupation); matching uses the higher of this and the
-- profile's level. Profile refreshes do not touch it.
ALTER TABLE worker_features ADD COLUMN certified_levels TEXT NOT NULL DEFAULT '{}';

-- Existing installs: grant the new `trainings` object as DEFAULT_POLICIES does for a fresh one.
INSERT INTO authz_policies (role, object, action)
SELECT v.role, v.object, v.action FROM (
    SELECT 'county_admin' AS role, 'trainings' AS object, 'read|write' AS action
    UNION ALL SELECT 'station_staff', 'trainings', 'read|write'
    UNION ALL SELECT 'agency_staff', 'trainings', 'read|write'
) v
WHERE EXISTS (SELECT 1 FROM authz_policies)
  AND NOT EXISTS (SELECT 1 FROM authz_policies p WHERE p.role = v.role AND p.object = v.object AND p.action = v.action);
UPDATE authz_version SET version = version + 1 WHERE id = 1;
