-- The market tree (1+10+N). Portable SQL: this file runs unchanged on SQLite and PostgreSQL.
-- Conventions for every migration: TEXT for strings and timestamps (RFC 3339, UTC, fixed width so
-- they sort), BIGINT for integers, DOUBLE PRECISION for reals, no booleans (use BIGINT 0/1).
CREATE TABLE tenants (
    code              TEXT PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('city', 'county', 'specialty', 'station')),
    parent_code       TEXT REFERENCES tenants (code),
    name              TEXT NOT NULL UNIQUE,
    region_code       TEXT NOT NULL,
    address           TEXT NOT NULL,
    lon               DOUBLE PRECISION,
    lat               DOUBLE PRECISION,
    opening_hours     TEXT NOT NULL,
    hotline           TEXT NOT NULL,
    complaint_channel TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('active', 'preparing', 'suspended', 'withdrawn')),
    operator          TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK ((lon IS NULL) = (lat IS NULL)),
    CHECK ((kind = 'city') = (parent_code IS NULL))
);

CREATE INDEX tenants_parent ON tenants (parent_code);
