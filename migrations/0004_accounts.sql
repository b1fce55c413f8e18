-- Accounts (one per person or organisation, valid city-wide: 零工帐号全市通用) and sessions.
-- Phone numbers are stored encrypted (phone_enc) and found through a keyed blind index
-- (phone_index); nothing here holds a phone number in clear.
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('worker', 'employer', 'agency_staff', 'station_staff', 'county_admin', 'city_admin', 'auditor')),
    phone_enc     TEXT NOT NULL,
    phone_index   TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    tenant_code   TEXT REFERENCES tenants (code),
    status        TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    failed_logins BIGINT NOT NULL,
    locked_until  TEXT,
    created_at    TEXT NOT NULL
);

-- Only the sha256 of a session token is stored: a leaked table opens no session.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE INDEX sessions_account ON sessions (account_id);
