-- Job posts (plan §6: the standard information of a posting) and what finds them.
--
-- A post belongs to the market it was published in (tenant_code) and appears in that market's
-- feed, its parents' feeds and the city feed. `taken` counts the places held by live
-- engagements; it is only ever changed together with an engagement, in one transaction, by a
-- conditional UPDATE (`taken < headcount`), so a post is never over-filled.
CREATE TABLE jobs (
    id                 TEXT PRIMARY KEY,
    tenant_code        TEXT NOT NULL REFERENCES tenants (code),
    employer_id        TEXT NOT NULL REFERENCES accounts (id),
    title              TEXT NOT NULL,
    description        TEXT NOT NULL,
    occupation_code    TEXT NOT NULL,
    headcount          BIGINT NOT NULL CHECK (headcount >= 1),
    taken              BIGINT NOT NULL CHECK (taken >= 0 AND taken <= headcount),
    -- County-level division code (行政区划代码) of the work place, e.g. 410225.
    district           TEXT NOT NULL,
    address            TEXT NOT NULL,
    lon                DOUBLE PRECISION NOT NULL,
    lat                DOUBLE PRECISION NOT NULL,
    work_start         TEXT NOT NULL,
    work_end           TEXT NOT NULL,
    daily_hours        DOUBLE PRECISION NOT NULL,
    wage_cents         BIGINT NOT NULL,
    wage_unit          TEXT NOT NULL CHECK (wage_unit IN ('hour', 'day', 'piece', 'month')),
    -- The wage normalised to fen per day, for filters and matching; NULL for piece rates.
    wage_cents_per_day BIGINT,
    settlement         TEXT NOT NULL CHECK (settlement IN ('daily', 'weekly', 'monthly', 'on_completion')),
    closes_at          TEXT NOT NULL,
    contact_name       TEXT NOT NULL,
    -- PII: encrypted, never in clear.
    contact_phone_enc  TEXT NOT NULL,
    -- Requirements, qualifications, age limits (JSON).
    details            TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('held', 'open', 'rejected', 'closed', 'expired')),
    review_decision    TEXT,
    review_reasons     TEXT NOT NULL,
    reviewed_by        TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE INDEX jobs_feed ON jobs (status, created_at, id);
CREATE INDEX jobs_tenant ON jobs (tenant_code, status, created_at);
CREATE INDEX jobs_employer ON jobs (employer_id, created_at);
CREATE INDEX jobs_place ON jobs (status, lat, lon);

-- The keyword index: each post's words as the Chinese tokenizer cut them, with the post's
-- creation time, so a keyword search walks (term, posted_at) newest first in the index and
-- stops after a page, however rare the word.
CREATE TABLE job_terms (
    term      TEXT NOT NULL,
    job_id    TEXT NOT NULL REFERENCES jobs (id),
    posted_at TEXT NOT NULL,
    PRIMARY KEY (term, job_id)
);

CREATE INDEX job_terms_feed ON job_terms (term, posted_at, job_id);
CREATE INDEX job_terms_job ON job_terms (job_id);

-- Market check-ins (扫码登记): who came to a market on a day (China date).
CREATE TABLE check_ins (
    tenant_code TEXT NOT NULL REFERENCES tenants (code),
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    day         TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (tenant_code, day, account_id)
);
