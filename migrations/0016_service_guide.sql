-- Public service information (主动公开, plan §8): a market's 办事指南 text, written by its own
-- staff through `PATCH /api/v1/tenants/{code}/services`, and the `services` permission that lets
-- a market's staff edit its public details (place, hours, hotline, complaint channel, guide)
-- without the right to change the market itself (`tenants: write`).
ALTER TABLE tenants ADD COLUMN guide TEXT NOT NULL DEFAULT '';

-- Existing installs: grant `services` as DEFAULT_POLICIES does for a fresh one (whose table is
-- still empty here and is left to the seeding).
INSERT INTO authz_policies (role, object, action)
SELECT v.role, v.object, v.action FROM (
    SELECT 'county_admin' AS role, 'services' AS object, 'read|write' AS action
    UNION ALL SELECT 'station_staff', 'services', 'read|write'
    UNION ALL SELECT 'agency_staff', 'services', 'read|write'
) v
WHERE EXISTS (SELECT 1 FROM authz_policies)
  AND NOT EXISTS (SELECT 1 FROM authz_policies p WHERE p.role = v.role AND p.object = v.object AND p.action = v.action);
UPDATE authz_version SET version = version + 1 WHERE id = 1;
