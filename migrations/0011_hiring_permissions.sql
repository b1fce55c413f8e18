-- Installs made before instant hiring and rights protection existed have their permissions
-- already seeded (host/src/authz/mod.rs seeds only an empty table), so grant the new areas
-- here, as DEFAULT_POLICIES does for a fresh install. A fresh install's table is still empty
-- at this point and is left to the seeding.
INSERT INTO authz_policies (role, object, action)
SELECT v.role, v.object, v.action FROM (
    SELECT 'county_admin' AS role, 'jobs' AS object, 'read|write' AS action
    UNION ALL SELECT 'county_admin', 'assignments', 'read|write'
    UNION ALL SELECT 'county_admin', 'matching', 'read'
    UNION ALL SELECT 'county_admin', 'complaints', 'read|write'
    UNION ALL SELECT 'station_staff', 'jobs', 'read|write'
    UNION ALL SELECT 'station_staff', 'assignments', 'read|write'
    UNION ALL SELECT 'station_staff', 'matching', 'read'
    UNION ALL SELECT 'station_staff', 'complaints', 'read|write'
    UNION ALL SELECT 'agency_staff', 'jobs', 'read|write'
    UNION ALL SELECT 'agency_staff', 'assignments', 'read|write'
    UNION ALL SELECT 'agency_staff', 'matching', 'read'
    UNION ALL SELECT 'agency_staff', 'complaints', 'read|write'
) v
WHERE EXISTS (SELECT 1 FROM authz_policies)
  AND NOT EXISTS (SELECT 1 FROM authz_policies p WHERE p.role = v.role AND p.object = v.object AND p.action = v.action);
