-- Real-name information (plan §6, §9 双实名). ID numbers are PII: encrypted (id_enc), found by
-- blind index (id_index). A profile starts unverified; the staff of its home market verify it.
CREATE TABLE profiles (
    account_id          TEXT PRIMARY KEY REFERENCES accounts (id),
    kind                TEXT NOT NULL CHECK (kind IN ('worker', 'enterprise', 'individual_employer', 'agency')),
    home_tenant         TEXT NOT NULL REFERENCES tenants (code),
    name                TEXT NOT NULL,
    id_enc              TEXT,
    id_index            TEXT UNIQUE,
    uscc                TEXT,
    details             TEXT NOT NULL,
    verification        TEXT NOT NULL CHECK (verification IN ('unverified', 'verified', 'rejected')),
    verification_reason TEXT,
    verified_by         TEXT,
    verified_at         TEXT,
    updated_at          TEXT NOT NULL
);

CREATE INDEX profiles_pending ON profiles (home_tenant, verification);
