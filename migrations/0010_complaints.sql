-- Rights protection cases (劳动维权, plan §9): complaints handled within a time limit (限时办结),
-- escalated up the tree when overdue, with the one-time notice (一次性告知) stored with the case.
-- tenant_code is the market the case was filed with; handling_tenant is the market handling it
-- now (it moves to the parent on escalation). engagement_id has no foreign key on purpose: the
-- engagements table comes from another migration and a case may outlive its engagement.
CREATE TABLE complaints (
    id                 TEXT PRIMARY KEY,
    tenant_code        TEXT NOT NULL REFERENCES tenants (code),
    handling_tenant    TEXT NOT NULL REFERENCES tenants (code),
    complainant_id     TEXT NOT NULL REFERENCES accounts (id),
    engagement_id      TEXT,
    respondent_id      TEXT REFERENCES accounts (id),
    kind               TEXT NOT NULL CHECK (kind IN ('wage_arrears', 'discrimination', 'fake_recruitment', 'fee_charging', 'safety', 'other')),
    description        TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'in_progress', 'resolved', 'rejected')),
    outcome            TEXT,
    -- JSON array of strings: what the complainant was told to bring, once and in full.
    required_materials TEXT NOT NULL,
    time_limit_hours   BIGINT NOT NULL CHECK (time_limit_hours > 0),
    due_at             TEXT NOT NULL,
    escalation_level   BIGINT NOT NULL,
    -- 1 once a case overdue at the top of the tree (the city) has been flagged.
    overdue            BIGINT NOT NULL CHECK (overdue IN (0, 1)),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK ((status IN ('resolved', 'rejected')) = (outcome IS NOT NULL))
);

CREATE INDEX complaints_handling ON complaints (handling_tenant, status);
CREATE INDEX complaints_filed ON complaints (tenant_code);
CREATE INDEX complaints_complainant ON complaints (complainant_id);
CREATE INDEX complaints_due ON complaints (status, due_at);

-- The status history: every status change, escalation and overdue flag, in order.
-- status is the case's new status, or `escalated` / `overdue` for the system's events.
CREATE TABLE complaint_events (
    id           TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    status       TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'in_progress', 'resolved', 'rejected', 'escalated', 'overdue')),
    actor        TEXT NOT NULL,
    tenant_code  TEXT NOT NULL REFERENCES tenants (code),
    note         TEXT,
    at           TEXT NOT NULL
);

CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, at);
