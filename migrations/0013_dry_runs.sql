-- Dry-runs too large for one request run as background jobs. Progress is stored as it is made,
-- so every host sharing the database (and the console) can show it; a job whose host stopped
-- keeps status 'running' with an old updated_at and is shown as interrupted.
CREATE TABLE dry_runs (
    id          TEXT PRIMARY KEY,
    tenant_code TEXT NOT NULL REFERENCES tenants (code),
    slot        TEXT NOT NULL,
    plugin_hash TEXT NOT NULL REFERENCES plugins (hash),
    inputs      BIGINT NOT NULL,
    done        BIGINT NOT NULL,
    -- running | finished | failed
    status      TEXT NOT NULL,
    -- JSON text of the report, once finished.
    report      TEXT,
    error       TEXT,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX dry_runs_by_tenant ON dry_runs (tenant_code, created_at);
