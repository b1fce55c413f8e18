//! Authorisation with casbin: RBAC with domains, where a domain is a tenant's path in the tree.
//!
//! - Permissions (`p`: role, object, action) live in the database (`authz_policies`), seeded
//!   from [`DEFAULT_POLICIES`] on first start, changed by city administrators.
//! - Grants (`g`: account, role, tenant path) come from staff accounts: a staff account holds
//!   its role in its own tenant and, through path-prefix domain matching, in every tenant below.
//! - Each host enforces from an in-memory casbin copy of both. Every change to them bumps a
//!   version in the database in the same transaction, and every authorisation first compares
//!   that version and rebuilds the copy when it moved: several hosts on one database agree at
//!   once, and a host that cannot read the version refuses rather than trust its copy.
//! - `api::authorize` (with the router) checks every route against the table in [`routes`] before the
//!   handler runs; handlers check objects whose tenant only the database knows.

pub mod routes;

use std::sync::Arc;

use casbin::prelude::*;
use tokio::sync::RwLock;

use crate::accounts::AccountKind;
use crate::error::ApiError;
use crate::store::Store;
use crate::store::accounts::PolicyChange;
use crate::store::audit::AuditEvent;
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
    ("county_admin", "services", "read|write"),
    ("station_staff", "services", "read|write"),
    ("agency_staff", "services", "read|write"),
    ("county_admin", "trainings", "read|write"),
    ("station_staff", "trainings", "read|write"),
    ("agency_staff", "trainings", "read|write"),
    ("county_admin", "ledgers", "read|write"),
    ("station_staff", "ledgers", "read|write"),
    ("agency_staff", "ledgers", "read|write"),
    ("auditor", "*", "read"),
];

/// Every object a permission can name: the areas of the API the route table and the handlers
/// check, and `*` for all of them.
pub const OBJECTS: &[&str] = &[
    "*",
    "tenants",
    "slots",
    "plugins",
    "decisions",
    "audit",
    "accounts",
    "verifications",
    "people",
    "jobs",
    "assignments",
    "matching",
    "complaints",
    "services",
    "trainings",
    "ledgers",
    "authz",
];

/// A permission names a staff role, a known object and `read`, `write` or `read|write`;
/// anything else is refused with the field, before anything is stored or removed.
fn check_policy(role: &str, object: &str, action: &str) -> std::result::Result<(), ApiError> {
    let invalid = |field: &str, zh: &str, en: &str| {
        Err(ApiError::bad_request("invalid_policy", zh, en).with_field(field))
    };
    if AccountKind::parse(role).is_none_or(|k| k.self_service()) {
        return invalid("role", "角色必须是工作人员角色", "role must be a staff role");
    }
    if !OBJECTS.contains(&object) {
        let known = OBJECTS.join(", ");
        let (zh, en) =
            (format!("未知的对象,应为:{known}"), format!("unknown object; one of: {known}"));
        return invalid("object", &zh, &en);
    }
    if action.is_empty() || !action.split('|').all(|a| matches!(a, "read" | "write")) {
        return invalid(
            "action",
            "动作只能是 read、write 或 read|write",
            "action must be read, write or read|write",
        );
    }
    Ok(())
}

/// Who is acting: an account (by id, with its kind and tenant path) or the bootstrap token.
#[derive(Debug, Clone)]
pub struct Actor {
    /// Account id, or `admin-token`.
    pub id: String,
    /// The account's kind (the bootstrap token acts as a city administrator).
    pub kind: AccountKind,
    /// The tenant the actor belongs to (staff), as a path; `None` for workers and employers.
    pub home: Option<String>,
}

/// The shared enforcer, rebuilt whenever the stored permission version moves.
#[derive(Clone)]
pub struct Authz {
    current: Arc<RwLock<Snapshot>>,
    /// Serialises rebuilds, so a burst of requests after a change rebuilds once.
    rebuilding: Arc<tokio::sync::Mutex<()>>,
    store: Store,
}

/// An enforcer and the permission version it was built from.
struct Snapshot {
    enforcer: Enforcer,
    version: i64,
}

/// `kaifeng/lankao` is a prefix of `kaifeng/lankao/lankao-lanyang` (and of itself).
fn path_prefix(request: &str, granted: &str) -> bool {
    request == granted || request.strip_prefix(granted).is_some_and(|rest| rest.starts_with('/'))
}

impl Authz {
    /// Seed the default permissions on a fresh install, then build the enforcer from the stored
    /// permissions and the grants of every staff account.
    pub async fn load(store: Store) -> anyhow::Result<Authz> {
        if store.authz_policies().await?.is_empty() {
            let mut tx = store.begin().await?;
            for (role, object, action) in DEFAULT_POLICIES {
                store
                    .change_authz_policy(&mut tx, PolicyChange::Grant, role, object, action)
                    .await?;
            }
            tx.commit().await?;
        }
        let snapshot = Snapshot::build(&store).await?;
        Ok(Authz { current: Arc::new(RwLock::new(snapshot)), rebuilding: Arc::default(), store })
    }

    /// Make sure this host enforces the stored permissions: compare the stored version with the
    /// one in memory and rebuild when it moved. Fails when the database cannot say.
    pub async fn refresh(&self) -> std::result::Result<(), ApiError> {
        let stored = self.store.authz_version().await?;
        if self.current.read().await.version == stored {
            return Ok(());
        }
        let _one_at_a_time = self.rebuilding.lock().await;
        if self.current.read().await.version >= stored {
            return Ok(());
        }
        let snapshot = Snapshot::build(&self.store).await.map_err(ApiError::from)?;
        let mut current = self.current.write().await;
        tracing::info!(
            from = current.version,
            to = snapshot.version,
            "permissions changed: enforcer rebuilt"
        );
        *current = snapshot;
        Ok(())
    }

    /// Whether `actor` may do `action` on `object` in the tenant at `tenant_path`, by the
    /// permissions stored now; an error when the database cannot say which those are.
    pub async fn check(
        &self,
        actor: &Actor,
        tenant_path: &str,
        object: &str,
        action: &str,
    ) -> std::result::Result<bool, ApiError> {
        if actor.id == "admin-token" {
            return Ok(true);
        }
        self.refresh().await?;
        let current = self.current.read().await;
        Ok(current
            .enforcer
            .enforce((actor.id.as_str(), tenant_path, object, action))
            .unwrap_or(false))
    }

    /// [`Authz::check`] that fails closed: when the stored version cannot be read, no.
    pub async fn allowed(
        &self,
        actor: &Actor,
        tenant_path: &str,
        object: &str,
        action: &str,
    ) -> bool {
        self.check(actor, tenant_path, object, action).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot confirm the permissions are current: refusing");
            false
        })
    }

    /// The stored permissions.
    pub async fn policies(&self) -> anyhow::Result<Vec<(String, String, String)>> {
        Ok(self.store.authz_policies().await?)
    }

    /// Grant a role a permission or take it away, by `by`: checked, stored with a new version
    /// (every host enforces it from its next authorisation) and audited as `authz.grant` or
    /// `authz.revoke`, in one transaction. Returns whether anything changed (the permission was
    /// new, or existed).
    pub async fn change_policy(
        &self,
        change: PolicyChange,
        role: &str,
        object: &str,
        action: &str,
        by: &str,
    ) -> std::result::Result<bool, ApiError> {
        check_policy(role, object, action)?;
        let mut tx = self.store.begin().await?;
        let changed = self.store.change_authz_policy(&mut tx, change, role, object, action).await?;
        if changed {
            let detail = serde_json::json!({"role": role, "object": object, "action": action});
            let verb = match change {
                PolicyChange::Grant => "authz.grant",
                PolicyChange::Revoke => "authz.revoke",
            };
            let event = AuditEvent {
                actor: by,
                tenant_code: None,
                action: verb,
                target: Some(role),
                detail,
            };
            self.store.audit_in(&mut tx, &event).await?;
        }
        tx.commit().await?;
        Ok(changed)
    }
}

impl Snapshot {
    /// Read the version first, then what it versions: a change in between leaves the snapshot
    /// newer than its version says, so the next check rebuilds again (never the other way).
    async fn build(store: &Store) -> anyhow::Result<Snapshot> {
        let version = store.authz_version().await?;
        let model = DefaultModel::from_str(MODEL).await?;
        let mut enforcer = Enforcer::new(model, MemoryAdapter::default()).await?;
        enforcer.get_role_manager().write().matching_fn(None, Some(path_prefix));
        let policies: Vec<Vec<String>> =
            store.authz_policies().await?.into_iter().map(|(r, o, a)| vec![r, o, a]).collect();
        if !policies.is_empty() {
            enforcer.add_policies(policies).await?;
        }
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
        Ok(Snapshot { enforcer, version })
    }
}

/// The city's own tenant (the root of the tree, the domain of city-wide permissions), as a path.
pub fn city_path(tenants: &[Tenant]) -> Option<String> {
    tenants.iter().find(|t| t.parent.is_none()).map(|t| t.code.clone())
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

    /// Kaifeng's tenants in a fresh database, and its enforcer.
    async fn authz() -> (tempfile::TempDir, Authz) {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::connect(&crate::config::sqlite_url(&dir.path().join("a.db")), 2).await.unwrap();
        store.migrate().await.unwrap();
        let defs = crate::tenants::files::read_dir(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tenants"
        )))
        .unwrap();
        let tenants = crate::tenants::tree::check(&defs, &|_| Ok(())).unwrap();
        store.upsert_tenants(&tenants).await.unwrap();
        (dir, Authz::load(store).await.unwrap())
    }

    /// A staff account `id` of `kind` in `tenant`: a role grant, as `POST /api/v1/staff` stores it.
    async fn grant(a: &Authz, id: &str, kind: AccountKind, tenant: &str) {
        let row = crate::store::accounts::AccountRow {
            id: id.into(),
            kind: kind.as_str().into(),
            phone_enc: format!("test:{id}"),
            password_hash: String::new(),
            tenant_code: Some(tenant.into()),
            status: "active".into(),
            failed_logins: 0,
            locked_until: None,
            created_at: a.store.now(),
        };
        let mut tx = a.store.begin().await.unwrap();
        assert!(a.store.insert_account(&mut tx, &row, &format!("index-{id}")).await.unwrap());
        tx.commit().await.unwrap();
    }

    fn actor(id: &str, kind: AccountKind) -> Actor {
        Actor { id: id.into(), kind, home: None }
    }

    #[test]
    fn the_default_permissions_name_known_objects() {
        for (_, object, _) in DEFAULT_POLICIES {
            assert!(OBJECTS.contains(object), "{object}");
        }
    }

    #[tokio::test]
    async fn a_county_admin_acts_on_its_county_and_below_only() {
        let (_d, a) = authz().await;
        grant(&a, "qi", AccountKind::CountyAdmin, "qixian").await;
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
        grant(&a, "boss", AccountKind::CityAdmin, "kaifeng").await;
        grant(&a, "eye", AccountKind::Auditor, "kaifeng").await;
        assert!(
            a.allowed(
                &actor("boss", AccountKind::CityAdmin),
                "kaifeng/lankao/lankao-lanyang",
                "slots",
                "write"
            )
            .await
        );
        let eye = actor("eye", AccountKind::Auditor);
        assert!(a.allowed(&eye, "kaifeng/weishi", "audit", "read").await);
        assert!(!a.allowed(&eye, "kaifeng/weishi", "slots", "write").await);
        assert!(
            !a.allowed(&actor("nobody", AccountKind::Worker), "kaifeng", "tenants", "read").await
        );
    }

    #[tokio::test]
    async fn permissions_are_stored_and_changeable() {
        let (_d, a) = authz().await;
        grant(&a, "st", AccountKind::StationStaff, "lankao-lanyang").await;
        let st = actor("st", AccountKind::StationStaff);
        assert!(!a.allowed(&st, "kaifeng/lankao/lankao-lanyang", "slots", "write").await);
        assert!(
            a.change_policy(PolicyChange::Grant, "station_staff", "slots", "read|write", "test")
                .await
                .unwrap()
        );
        assert!(a.allowed(&st, "kaifeng/lankao/lankao-lanyang", "slots", "write").await);
        assert!(
            a.change_policy(PolicyChange::Revoke, "station_staff", "slots", "read|write", "test")
                .await
                .unwrap()
        );
        assert!(!a.allowed(&st, "kaifeng/lankao/lankao-lanyang", "slots", "write").await);
        assert_eq!(a.policies().await.unwrap().len(), DEFAULT_POLICIES.len());
    }

    /// Two hosts on one database: each change made through one is enforced by the other at its
    /// next authorisation, revocations included.
    #[tokio::test]
    async fn another_host_enforces_every_change_at_once() {
        let (_d, here) = authz().await;
        let there = Authz::load(here.store.clone()).await.unwrap();
        let st = actor("st", AccountKind::StationStaff);
        assert!(
            !there.allowed(&st, "kaifeng/lankao/lankao-lanyang", "slots", "read").await,
            "no such account yet"
        );
        grant(&here, "st", AccountKind::StationStaff, "lankao-lanyang").await;
        assert!(
            there.allowed(&st, "kaifeng/lankao/lankao-lanyang", "slots", "read").await,
            "a new staff account"
        );
        assert!(
            here.change_policy(PolicyChange::Grant, "station_staff", "slots", "read|write", "test")
                .await
                .unwrap()
        );
        assert!(
            there.allowed(&st, "kaifeng/lankao/lankao-lanyang", "slots", "write").await,
            "a grant"
        );
        assert!(
            here.change_policy(
                PolicyChange::Revoke,
                "station_staff",
                "slots",
                "read|write",
                "test"
            )
            .await
            .unwrap()
        );
        assert!(
            !there.allowed(&st, "kaifeng/lankao/lankao-lanyang", "slots", "write").await,
            "a revocation"
        );
        assert!(
            there.allowed(&st, "kaifeng/lankao/lankao-lanyang", "slots", "read").await,
            "the rest stays"
        );
    }

    #[tokio::test]
    async fn a_host_that_cannot_read_the_version_refuses() {
        let (_d, a) = authz().await;
        grant(&a, "boss", AccountKind::CityAdmin, "kaifeng").await;
        let boss = actor("boss", AccountKind::CityAdmin);
        assert!(a.allowed(&boss, "kaifeng", "slots", "write").await);
        a.store.close().await;
        assert!(!a.allowed(&boss, "kaifeng", "slots", "write").await, "no stale copy is trusted");
        assert_eq!(
            a.refresh().await.unwrap_err().status,
            axum::http::StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[tokio::test]
    async fn an_older_install_gets_the_hiring_permissions_by_migration() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            Store::connect(&crate::config::sqlite_url(&dir.path().join("a.db")), 2).await.unwrap();
        store.migrate().await.unwrap();
        assert!(
            store.authz_policies().await.unwrap().is_empty(),
            "a fresh install is left to the seeding"
        );
        // An install seeded before the migration existed: only the older permissions.
        for (role, object, action) in DEFAULT_POLICIES
            .iter()
            .filter(|(_, o, _)| !["jobs", "assignments", "matching", "complaints"].contains(o))
        {
            let mut tx = store.begin().await.unwrap();
            store
                .change_authz_policy(&mut tx, PolicyChange::Grant, role, object, action)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let migration = include_str!("../../../migrations/0011_hiring_permissions.sql");
        sqlx::query(migration).execute(store.pool()).await.unwrap();
        let mut have = store.authz_policies().await.unwrap();
        let mut want: Vec<(String, String, String)> = DEFAULT_POLICIES
            .iter()
            .map(|(r, o, a)| (r.to_string(), o.to_string(), a.to_string()))
            .collect();
        have.sort();
        want.sort();
        assert_eq!(have, want);
        sqlx::query(migration).execute(store.pool()).await.unwrap();
        assert_eq!(store.authz_policies().await.unwrap().len(), want.len(), "idempotent");
    }
}
