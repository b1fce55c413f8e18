-- Role permissions for casbin (`p` rules: role, object, action). Seeded with the defaults in
-- host/src/authz/mod.rs on first start; city administrators change them through the API.
-- Role grants (`g`: account, role, tenant path) come from staff accounts.
CREATE TABLE authz_policies (
    role   TEXT NOT NULL,
    object TEXT NOT NULL,
    action TEXT NOT NULL,
    PRIMARY KEY (role, object, action)
);
