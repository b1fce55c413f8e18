-- The append-only, hash-chained audit log. Each entry's hash covers its fields and the previous
-- entry's hash, so editing or deleting any entry breaks the chain (`gigmarket audit verify`).
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    tenant_code TEXT,
    action      TEXT NOT NULL,
    target      TEXT,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

CREATE INDEX audit_log_tenant ON audit_log (tenant_code, seq);
