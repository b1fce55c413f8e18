//! Authorisation with casbin: RBAC with domains, where a domain is a tenant's path in the tree.
//!
//! - Permissions (`p`: role, object, action) live in the database (`authz_policies`), seeded
//!   from [`DEFAULT_POLICIES`] on first start, loaded at start, changed by city administrators.
//! - Grants (`g`: account, role, tenant path) come from staff accounts: a staff account holds
//!   its role in its own tenant and, through path-prefix domain matching, in every tenant below.
//! - [`middleware::authorize`] checks every route against the table in [`routes`] before the
//!   handler runs; handlers check objects whose tenant only the database knows.

pub mod middleware;
pub mod routes;

use std::sync::Arc;

use casbin::prelude::*;
use tokio::sync::RwLock;

use crate::accounts::AccountKind;
use crate::store::Store;
use crate::tenants::Tenant;

const MODEL: &str = include_str!("model.conf");

/// The permissions each staff role starts with: (role, object pattern, action regex).
/// Actions are `read` and `write`; objects name areas of the API.
pub const DEFAULT_POLICIES: &[(&str, &str, &str)] = &[
    ("city_admin", "*", "read|write"),
    ("county_admin", "tenants", "read|write"),
    ("county_admin", "slots", "read|write"),
    ("county_admin", "plugins", "read"),
    ("county_admin", "decisions", "read"),
    ("county_admin", "audit", "read"),
    ("county_admin", "accounts", "read|write"),
    ("county_admin", "verifications", "read|write"),
    ("county_admin", "people", "read"),
    ("station_staff", "verifications", "read|write"),
    ("station_staff", "people", "read"),
    ("agency_staff", "slots", "read|write"),
    ("agency_staff", "plugins", "read|write"),
    ("agency_staff", "decisions", "read"),
    ("station_staff", "tenants", "read"),
    ("station_staff", "slots", "read"),
    ("station_staff", "decisions", "read"),
    ("county_admin", "jobs", "read|write"),
    ("county_admin", "assignments", "read|write"),
    ("county_admin", "matching", "read"),
    ("station_staff", "jobs", "read|write"),
    ("station_staff", "assignments", "read|write"),
    ("station_staff", "matching", "read"),
    ("agency_staff", "jobs", "read|write"),
    ("agency_staff", "assignments", "read|write"),
    ("agency_staff", "matching", "read"),
    ("county_admin", "complaints", "read|write"),
    ("station_staff", "complaints", "read|write"),
    ("agency_staff", "complaints", "read|write"),
    ("auditor", "*", "read"),
];

/// Who is acting: an account (by id, with its kind and tenant path) or the bootstrap token.
#[derive(Debug, Clone)]
pub struct Actor {
    /// Account id, or `admin-token`.
    pub id: String,
    pub kind: AccountKind,
    /// The tenant the actor belongs to (staff), as a path; `None` for workers and employers.
    pub home: Option<String>,
}

/// The shared enforcer.
#[derive(Clone)]
pub struct Authz {
    enforcer: Arc<RwLock<Enforcer>>,
    store: Store,
}

/// `kaifeng/lankao` is a prefix of `kaifeng/lankao/lankao-lanyang` (and of itself).
fn path_prefix(request: &str, granted: &str) -> bool {
    request == granted || request.strip_prefix(granted).is_some_and(|rest| rest.starts_with('/'))
}

impl Authz {
    /// Load the model, the stored permissions (seeding the defaults on a fresh install) and the
    /// grants of every staff account.
    pub async fn load(store: Store) -> anyhow::Result<Authz> {
        let model = DefaultModel::from_str(MODEL).await?;
        let mut enforcer = Enforcer::new(model, MemoryAdapter::default()).await?;
        enforcer.get_role_manager().write().matching_fn(None, Some(path_prefix));
        if store.authz_policies().await?.is_empty() {
            for (role, object, action) in DEFAULT_POLICIES {
                store.insert_authz_policy(role, object, action).await?;
            }
        }
        let policies: Vec<Vec<String>> = store.authz_policies().await?.into_iter().map(|(r, o, a)| vec![r, o, a]).collect();
        enforcer.add_policies(policies).await?;
        let tenants = store.list_tenants().await?;
        let grants: Vec<Vec<String>> = store
            .staff_grants()
            .await?
            .into_iter()
            .filter_map(|(id, role, tenant)| Some(vec![id, role, path_of(&tenant, &tenants)?]))
            .collect();
        if !grants.is_empty() {
            enforcer.add_grouping_policies(grants).await?;
        }
        Ok(Authz { enforcer: Arc::new(RwLock::new(enforcer)), store })
    }

    /// Grant a staff account its role in its tenant (and so below it).
    pub async fn grant(&self, account_id: &str, role: AccountKind, tenant_path: &str) -> anyhow::Result<()> {
        self.enforcer.write().await.add_grouping_policy(vec![account_id.to_string(), role.as_str().to_string(), tenant_path.to_string()]).await?;
        Ok(())
    }

    /// Whether `actor` may do `action` on `object` in the tenant at `tenant_path`.
    pub async fn allowed(&self, actor: &Actor, tenant_path: &str, object: &str, action: &str) -> bool {
        if actor.id == "admin-token" {
            return true;
        }
        let enforcer = self.enforcer.read().await;
        enforcer.enforce((actor.id.as_str(), tenant_path, object, action)).unwrap_or(false)
    }

    /// The stored permissions.
    pub async fn policies(&self) -> anyhow::Result<Vec<(String, String, String)>> {
        Ok(self.store.authz_policies().await?)
    }

    /// Add a permission to a role (stored, then enforced).
    pub async fn add_policy(&self, role: &str, object: &str, action: &str) -> anyhow::Result<bool> {
        let new = self.store.insert_authz_policy(role, object, action).await?;
        if new {
            self.enforcer.write().await.add_policy(vec![role.into(), object.into(), action.into()]).await?;
        }
        Ok(new)
    }

    /// Remove a permission from a role.
    pub async fn remove_policy(&self, role: &str, object: &str, action: &str) -> anyhow::Result<bool> {
        let removed = self.store.delete_authz_policy(role, object, action).await?;
        if removed {
            self.enforcer.write().await.remove_policy(vec![role.into(), object.into(), action.into()]).await?;
        }
        Ok(removed)
    }
}

/// A tenant's path from the city: `kaifeng/lankao/lankao-lanyang`.
pub fn path_of(code: &str, tenants: &[Tenant]) -> Option<String> {
    let mut parts = vec![code.to_string()];
    let mut current = tenants.iter().find(|t| t.code == code)?;
    while let Some(parent) = &current.parent {
        parts.push(parent.clone());
        current = tenants.iter().find(|t| &t.code == parent)?;
        if parts.len() > tenants.len() {
            return None;
        }
    }
    parts.reverse();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_on_whole_segments() {
        assert!(path_prefix("kaifeng/lankao/lankao-lanyang", "kaifeng/lankao"));
        assert!(path_prefix("kaifeng/lankao", "kaifeng/lankao"));
        assert!(path_prefix("kaifeng/qixian", "kaifeng"));
        assert!(!path_prefix("kaifeng/lankao2", "kaifeng/lankao"));
        assert!(!path_prefix("kaifeng/qixian", "kaifeng/lankao"));
        assert!(!path_prefix("kaifeng", "kaifeng/lankao"));
    }

    async fn authz() -> (tempfile::TempDir, Authz) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&crate::config::sqlite_url(&dir.path().join("a.db")), 2).await.unwrap();
        store.migrate().await.unwrap();
        (dir, Authz::load(store).await.unwrap())
    }

    fn actor(id: &str, kind: AccountKind) -> Actor {
        Actor { id: id.into(), kind, home: None }
    }

    #[tokio::test]
    async fn a_county_admin_acts_on_its_county_and_below_only() {
        let (_d, a) = authz().await;
        a.grant("qi", AccountKind::CountyAdmin, "kaifeng/qixian").await.unwrap();
        let qi = actor("qi", AccountKind::CountyAdmin);
        assert!(a.allowed(&qi, "kaifeng/qixian", "slots", "write").await);
        assert!(a.allowed(&qi, "kaifeng/qixian/qixian-jincheng", "tenants", "write").await);
        assert!(!a.allowed(&qi, "kaifeng/lankao", "slots", "write").await);
        assert!(!a.allowed(&qi, "kaifeng", "slots", "read").await);
        assert!(!a.allowed(&qi, "kaifeng/qixian", "plugins", "write").await);
    }

    #[tokio::test]
    async fn city_admins_act_everywhere_and_auditors_only_read() {
        let (_d, a) = authz().await;
        a.grant("boss", AccountKind::CityAdmin, "kaifeng").await.unwrap();
        a.grant("eye", AccountKind::Auditor, "kaifeng").await.unwrap();
        assert!(a.allowed(&actor("boss", AccountKind::CityAdmin), "kaifeng/lankao/lankao-lanyang", "slots", "write").await);
        let eye = actor("eye", AccountKind::Auditor);
        assert!(a.allowed(&eye, "kaifeng/weishi", "audit", "read").await);
        assert!(!a.allowed(&eye, "kaifeng/weishi", "slots", "write").await);
        assert!(!a.allowed(&actor("nobody", AccountKind::Worker), "kaifeng", "tenants", "read").await);
    }

    #[tokio::test]
    async fn permissions_are_stored_and_changeable() {
        let (_d, a) = authz().await;
        a.grant("st", AccountKind::StationStaff, "kaifeng/lankao/lankao-lanyang").await.unwrap();
        let st = actor("st", AccountKind::StationStaff);
        assert!(!a.allowed(&st, "kaifeng/lankao/lankao-lanyang", "slots", "write").await);
        assert!(a.add_policy("station_staff", "slots", "read|write").await.unwrap());
        assert!(a.allowed(&st, "kaifeng/lankao/lankao-lanyang", "slots", "write").await);
        assert!(a.remove_policy("station_staff", "slots", "read|write").await.unwrap());
        assert!(!a.allowed(&st, "kaifeng/lankao/lankao-lanyang", "slots", "write").await);
        assert_eq!(a.policies().await.unwrap().len(), DEFAULT_POLICIES.len());
    }

    #[tokio::test]
    async fn an_older_install_gets_the_hiring_permissions_by_migration() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&crate::config::sqlite_url(&dir.path().join("a.db")), 2).await.unwrap();
        store.migrate().await.unwrap();
        assert!(store.authz_policies().await.unwrap().is_empty(), "a fresh install is left to the seeding");
        // An install seeded before the migration existed: only the older permissions.
        for (role, object, action) in DEFAULT_POLICIES.iter().filter(|(_, o, _)| !["jobs", "assignments", "matching", "complaints"].contains(o)) {
            store.insert_authz_policy(role, object, action).await.unwrap();
        }
        let migration = include_str!("../../../migrations/0011_hiring_permissions.sql");
        sqlx::query(migration).execute(store.pool()).await.unwrap();
        let mut have = store.authz_policies().await.unwrap();
        let mut want: Vec<(String, String, String)> = DEFAULT_POLICIES.iter().map(|(r, o, a)| (r.to_string(), o.to_string(), a.to_string())).collect();
        have.sort();
        want.sort();
        assert_eq!(have, want);
        sqlx::query(migration).execute(store.pool()).await.unwrap();
        assert_eq!(store.authz_policies().await.unwrap().len(), want.len(), "idempotent");
    }
}
