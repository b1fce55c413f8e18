-- Batch assignment (快速配岗) of a morning market: a draft computed from the day's open jobs and
-- checked-in workers, reviewed by staff, then published as offers.
CREATE TABLE assignment_runs (
    id           TEXT PRIMARY KEY,
    tenant_code  TEXT NOT NULL REFERENCES tenants (code),
    day          TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'published', 'discarded')),
    total_score  DOUBLE PRECISION NOT NULL,
    jobs         BIGINT NOT NULL,
    workers      BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    published_by TEXT,
    published_at TEXT
);

CREATE INDEX assignment_runs_tenant ON assignment_runs (tenant_code, created_at);

CREATE TABLE assignment_items (
    run_id        TEXT NOT NULL REFERENCES assignment_runs (id),
    job_id        TEXT NOT NULL REFERENCES jobs (id),
    worker_id     TEXT NOT NULL REFERENCES accounts (id),
    score         DOUBLE PRECISION NOT NULL,
    -- The plugin's reasons for this pair (JSON), and the receipt of the scoring call.
    reasons       TEXT NOT NULL,
    decision_id   TEXT,
    -- The offer made when the run was published, or why none was.
    engagement_id TEXT,
    skipped       TEXT,
    PRIMARY KEY (run_id, worker_id)
);
