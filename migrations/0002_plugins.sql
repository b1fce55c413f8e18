-- Plugins, their bindings to tenants' slots, and the receipts of the decisions they make.

-- Uploaded components, by content. The bytes live here (base64) so that every host sharing the
-- database can load any plugin; compiled artifacts are cached per host on local disk.
CREATE TABLE plugins (
    hash        TEXT PRIMARY KEY,
    slot        TEXT NOT NULL,
    name        TEXT NOT NULL,
    size_bytes  BIGINT NOT NULL,
    wasm_base64 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);

-- Append-only versions of which plugin (and configuration) serves a tenant's slot. The version in
-- force on a day is the highest one whose effective_from is not after that day (NULL: at once).
-- A rollback appends a copy of an older version; nothing is updated or deleted.
CREATE TABLE slot_bindings (
    id             TEXT PRIMARY KEY,
    tenant_code    TEXT NOT NULL REFERENCES tenants (code),
    slot           TEXT NOT NULL,
    version        BIGINT NOT NULL,
    plugin_hash    TEXT NOT NULL REFERENCES plugins (hash),
    config         TEXT NOT NULL,
    effective_from TEXT,
    note           TEXT,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (tenant_code, slot, version)
);

-- One row per consequential plugin decision: enough to show, explain and replay it exactly.
CREATE TABLE decisions (
    id             TEXT PRIMARY KEY,
    tenant_code    TEXT NOT NULL REFERENCES tenants (code),
    slot           TEXT NOT NULL,
    plugin_hash    TEXT NOT NULL REFERENCES plugins (hash),
    binding_id     TEXT REFERENCES slot_bindings (id),
    tenant_info    TEXT NOT NULL,
    config         TEXT NOT NULL,
    input          TEXT NOT NULL,
    output         TEXT NOT NULL,
    fuel_used      BIGINT NOT NULL,
    duration_us    BIGINT NOT NULL,
    source         TEXT NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE INDEX decisions_recent ON decisions (tenant_code, slot, created_at);
