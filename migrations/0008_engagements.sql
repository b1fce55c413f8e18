-- Engagements: one worker on one job, from application (or offer) to payment.
--
-- status: applied → offered → accepted → signed → checked_in → checked_out → paid → confirmed,
-- with disputed after paid, and the ends withdrawn (worker), declined (worker refuses an offer),
-- turned_down (employer refuses an application) and no_show (the signed worker did not come).
-- A live engagement (not one of those four ends) holds a place of its job; at most one live
-- engagement per worker and job.
CREATE TABLE engagements (
    id                 TEXT PRIMARY KEY,
    job_id             TEXT NOT NULL REFERENCES jobs (id),
    tenant_code        TEXT NOT NULL REFERENCES tenants (code),
    worker_id          TEXT NOT NULL REFERENCES accounts (id),
    employer_id        TEXT NOT NULL REFERENCES accounts (id),
    status             TEXT NOT NULL CHECK (status IN ('applied', 'offered', 'accepted', 'signed', 'checked_in', 'checked_out', 'paid', 'confirmed', 'disputed', 'withdrawn', 'declined', 'turned_down', 'no_show')),
    origin             TEXT NOT NULL CHECK (origin IN ('application', 'offer', 'batch')),
    agreement          TEXT,
    agreement_hash     TEXT,
    worker_signed_at   TEXT,
    employer_signed_at TEXT,
    checked_in_at      TEXT,
    checked_out_at     TEXT,
    paid_cents         BIGINT,
    paid_method        TEXT,
    paid_at            TEXT,
    dispute_reason     TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE UNIQUE INDEX engagements_live ON engagements (job_id, worker_id) WHERE status NOT IN ('withdrawn', 'declined', 'turned_down', 'no_show');
CREATE INDEX engagements_worker ON engagements (worker_id, created_at);
CREATE INDEX engagements_job ON engagements (job_id, created_at);

-- Every change of an engagement's status, with who made it.
CREATE TABLE engagement_events (
    id            TEXT PRIMARY KEY,
    engagement_id TEXT NOT NULL REFERENCES engagements (id),
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    actor         TEXT NOT NULL,
    note          TEXT,
    at            TEXT NOT NULL
);

CREATE INDEX engagement_events_engagement ON engagement_events (engagement_id, at);

-- Ratings of each other after the work (1–5), one per party and engagement.
CREATE TABLE ratings (
    engagement_id TEXT NOT NULL REFERENCES engagements (id),
    rater_id      TEXT NOT NULL REFERENCES accounts (id),
    ratee_id      TEXT NOT NULL REFERENCES accounts (id),
    score         BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment       TEXT,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (engagement_id, rater_id)
);

-- What matching reads about a worker, kept up to date with the profile, ratings and work done,
-- so that scoring 100,000 candidates reads one narrow table and decrypts nothing.
CREATE TABLE worker_features (
    account_id     TEXT PRIMARY KEY REFERENCES accounts (id),
    home_tenant    TEXT NOT NULL REFERENCES tenants (code),
    verified       BIGINT NOT NULL,
    -- Occupation codes, comma-separated with a leading and trailing comma: ",4-02-05-01,".
    occupations    TEXT NOT NULL,
    skill_level    BIGINT NOT NULL,
    lon            DOUBLE PRECISION NOT NULL,
    lat            DOUBLE PRECISION NOT NULL,
    wage_cents_per_day BIGINT NOT NULL,
    health_certificate BIGINT NOT NULL,
    rating_sum     BIGINT NOT NULL,
    rating_count   BIGINT NOT NULL,
    completed      BIGINT NOT NULL,
    no_shows       BIGINT NOT NULL
);

CREATE INDEX worker_features_verified ON worker_features (verified, home_tenant);
