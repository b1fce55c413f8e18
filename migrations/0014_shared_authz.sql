-- Several hosts share one database, and each enforces permissions from its own in-memory copy
-- (casbin). Every change to what that copy is built from (authz_policies, staff accounts) bumps
-- this version in the same transaction; every host compares it before it authorises and
-- reloads when it moved, so a grant or revocation on one host holds on all of them at once.
-- A migration that changes authz_policies or staff accounts must bump it too.
CREATE TABLE authz_version (
    id      BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO authz_version (id, version) VALUES (1, 1);

-- Failed logins per client address, shared by every host (the throttle used to be per host,
-- so N hosts allowed N times the attempts).
CREATE TABLE login_failures (
    addr TEXT NOT NULL,
    at   TEXT NOT NULL
);
CREATE INDEX login_failures_by_addr ON login_failures (addr, at);
