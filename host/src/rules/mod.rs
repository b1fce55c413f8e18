//! Which plugin serves which tenant's slot, and the receipts of what they decided.
//!
//! - A tenant's slot is bound to a plugin and a configuration in append-only versions; a version
//!   may take effect on a date. A tenant without its own binding inherits its parent's
//!   (station → county → city), and [`Rules::slots`] says where each rule comes from.
//! - Every call of a consequential slot ([`Slot::keeps_receipts`]) stores a [`Decision`]: plugin
//!   hash, configuration, tenant information, input, output, fuel, duration. Plugins are pure,
//!   so [`Rules::replay`] reproduces any decision exactly, and [`Rules::dry_run`] shows what a
//!   candidate version would have decided on the same inputs.

mod diff;
pub mod dry_run;
pub mod seed;

use std::sync::Arc;

use axum::http::StatusCode;
use base64::Engine as _;
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::plugins::bindings::types;
use crate::plugins::runtime::Budget;
use crate::plugins::{CallContext, Called, LoadedPlugin, PluginError, Runtime, Slot, SlotWorld};
use crate::store::Store;
use crate::store::audit::AuditEvent;
use crate::store::rules::{Binding, Decision, NewBinding, PluginRecord};
use crate::tenants::{Tenant, TenantKind};

/// The plugin service: the runtime plus what the database knows about plugins.
#[derive(Clone)]
pub struct Rules {
    store: Store,
    runtime: Arc<Runtime>,
}

/// The binding that applies to a tenant's slot, and the tenant it belongs to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Resolved {
    /// The tenant whose binding applies: the tenant itself or an ancestor.
    pub from_tenant: String,
    /// The binding version in force.
    pub binding: Binding,
}

/// One slot of a tenant, as the slots listing shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotView {
    /// Which slot this is.
    pub slot: Slot,
    /// The rule in force today, if any.
    pub active: Option<Resolved>,
    /// Whether the rule in force comes from an ancestor.
    pub inherited: bool,
    /// This tenant's own versions, oldest first (including scheduled ones).
    pub versions: Vec<Binding>,
}

/// The result of a call made through a tenant's slot.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Invocation {
    /// The receipt, for consequential slots.
    pub decision_id: Option<String>,
    /// The market the call was made for.
    pub tenant: String,
    /// The slot called.
    pub slot: Slot,
    /// sha256 (hex) of the plugin that answered.
    pub plugin_hash: String,
    /// The market whose binding applied: the market itself or an ancestor.
    pub from_tenant: String,
    /// The version of that binding.
    pub version: i64,
    /// What the plugin returned, as JSON (the WIT output's serde form).
    pub output: serde_json::Value,
    /// The wasmtime fuel the call used (roughly, instructions executed).
    pub fuel_used: u64,
    /// How long the call took, in microseconds.
    pub duration_us: u64,
}

/// What a new binding version activates.
#[derive(Debug, Clone, Copy)]
pub struct Activation<'a> {
    /// sha256 of a stored component implementing the slot.
    pub plugin: &'a str,
    /// The plugin's configuration: a JSON object.
    pub config: &'a serde_json::Value,
    /// The day it takes effect (China time); `None`: at once.
    pub effective_from: Option<NaiveDate>,
    /// Why the version is made (shown in the slot's history); `None` for no note.
    pub note: Option<&'a str>,
}

/// A typed decision for domain code.
#[derive(Debug, Clone)]
pub struct Decided<O> {
    /// The receipt's id, for consequential slots; `None` for the others.
    pub decision_id: Option<String>,
    /// What the plugin decided.
    pub output: O,
}

/// Whether re-running a recorded decision gave the same result. A replay gets exactly the fuel
/// the decision was recorded with; a plugin that needs more, or fails, did not reproduce it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReplayReport {
    /// The decision replayed.
    pub decision_id: String,
    /// Output and fuel both reproduced, without error.
    pub identical: bool,
    /// The replay gave the recorded output.
    pub output_identical: bool,
    /// The replay used exactly the recorded fuel.
    pub fuel_identical: bool,
    /// The fuel the decision was recorded with.
    pub recorded_fuel: u64,
    /// The fuel the replay used (the whole budget when the plugin failed).
    pub replayed_fuel: u64,
    /// What the replay returned (JSON `null` when the plugin failed).
    pub replayed_output: serde_json::Value,
    /// Why the replay did not reproduce the decision, as an error code: `plugin_fuel_exhausted`
    /// when it needed more than the recorded fuel, or the plugin's failure.
    pub error: Option<String>,
}

pub use diff::{DryRunItem, DryRunReport, Stopped, key_figures, reasons};

/// The plugin calls made for a market count against its share of the runtime (see
/// `plugins::admission`): a station shares its county's, every other market has its own.
pub fn share_of(tenant: &Tenant) -> &str {
    match (&tenant.kind, &tenant.parent) {
        (TenantKind::Station, Some(parent)) => parent,
        _ => &tenant.code,
    }
}

/// Compiling a component is accounted to a share of its own, so uploads cannot take the calls'.
pub(crate) const COMPILE_SHARE: &str = "@compile";

fn bad_request(code: &'static str, field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request(code, zh, en).with_field(field)
}

impl Rules {
    /// The service over `store`, calling plugins through `runtime`.
    pub fn new(store: Store, runtime: Arc<Runtime>) -> Rules {
        Rules { store, runtime }
    }

    /// The plugin runtime (one per process): its settings, statistics and compiled plugins.
    pub fn runtime(&self) -> &Arc<Runtime> {
        &self.runtime
    }

    /// The application's clock (plugins get "today" from it, in their input).
    pub fn clock(&self) -> &crate::clock::Clock {
        self.store.clock()
    }

    /// Verify and store a component. Returns its record and whether it was new.
    pub async fn register(
        &self,
        bytes: Vec<u8>,
        name: &str,
        by: &str,
    ) -> Result<(PluginRecord, bool), ApiError> {
        let size = bytes.len();
        let (loaded, bytes) = self
            .runtime
            .blocking(COMPILE_SHARE, move |rt| rt.load(&bytes).map(|p| (p, bytes)))
            .await??;
        let record = PluginRecord {
            hash: loaded.hash.clone(),
            slot: loaded.slot().as_str().to_string(),
            name: name.to_string(),
            size_bytes: size as i64,
            uploaded_by: by.to_string(),
            uploaded_at: self.store.now(),
        };
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let detail = serde_json::json!({"name": name, "slot": record.slot, "size_bytes": size});
        let event = AuditEvent {
            actor: by,
            tenant_code: None,
            action: "plugin.upload",
            target: Some(&record.hash),
            detail,
        };
        let mut tx = self.store.begin().await?;
        let new = self.store.insert_plugin(&mut tx, &record, &encoded).await?;
        if new {
            self.store.audit_in(&mut tx, &event).await?;
        }
        tx.commit().await?;
        let stored =
            if new { record } else { self.store.get_plugin(&loaded.hash).await?.unwrap_or(record) };
        Ok((stored, new))
    }

    /// Verify and store an uploaded component under `name` (blank: the first 12 hex digits of
    /// its hash). Every door that uploads (the API, the console) goes through here, so the name
    /// rules are the same everywhere.
    pub async fn upload(
        &self,
        bytes: Vec<u8>,
        name: Option<&str>,
        by: &str,
    ) -> Result<(PluginRecord, bool), ApiError> {
        let name = match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) if n.chars().count() > 80 => {
                return Err(bad_request(
                    "invalid_name",
                    "name",
                    "插件名称不能超过80个字",
                    "the name must be at most 80 characters",
                ));
            }
            Some(n) => n.to_string(),
            None => Runtime::hash_of(&bytes)[..12].to_string(),
        };
        self.register(bytes, &name, by).await
    }

    /// A plugin ready to call: from memory, or loaded from the database (another host may have
    /// uploaded it).
    pub async fn plugin(&self, hash: &str) -> Result<Arc<LoadedPlugin>, ApiError> {
        if let Some(p) = self.runtime.get(hash) {
            return Ok(p);
        }
        let encoded = self.store.plugin_wasm(hash).await?.ok_or_else(|| plugin_not_found(hash))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(ApiError::internal)?;
        Ok(self.runtime.blocking(COMPILE_SHARE, move |rt| rt.load(&bytes)).await??)
    }

    /// Append a binding version for a tenant's slot.
    pub async fn bind(
        &self,
        tenant: &Tenant,
        slot: Slot,
        activation: Activation<'_>,
        by: &str,
    ) -> Result<Binding, ApiError> {
        self.bind_as("slot.bind", tenant, slot, activation, by).await
    }

    /// [`Rules::bind`], audited as `action`.
    async fn bind_as(
        &self,
        action: &str,
        tenant: &Tenant,
        slot: Slot,
        activation: Activation<'_>,
        by: &str,
    ) -> Result<Binding, ApiError> {
        let Activation { plugin: hash, config, effective_from, note } = activation;
        let plugin = self.store.get_plugin(hash).await?.ok_or_else(|| plugin_not_found(hash))?;
        if plugin.slot != slot.as_str() {
            return Err(wrong_slot(hash, &plugin.slot, slot));
        }
        if !config.is_object() {
            return Err(bad_request(
                "invalid_config",
                "config",
                "插件配置必须是 JSON 对象",
                "config must be a JSON object",
            ));
        }
        if note.is_some_and(|n| n.chars().count() > 200) {
            return Err(bad_request(
                "invalid_note",
                "note",
                "说明不能超过200个字",
                "the note must be at most 200 characters",
            ));
        }
        if effective_from.is_some_and(|d| !crate::clock::day_in_range(d)) {
            return Err(crate::clock::parse_day("", "effective_from").unwrap_err());
        }
        let config = config.to_string();
        let binding = NewBinding {
            tenant_code: &tenant.code,
            slot: slot.as_str(),
            plugin_hash: hash,
            config: &config,
            effective_from,
            note,
            created_by: by,
        };
        let mut tx = self.store.begin().await?;
        let stored = self.store.insert_binding(&mut tx, &binding).await.map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => ApiError::new(
                StatusCode::CONFLICT,
                "concurrent_change",
                "另一位管理员同时修改了此槽位,请重试",
                "another administrator changed this slot at the same time; retry",
            ),
            _ => e.into(),
        })?;
        let detail = serde_json::json!({"slot": slot.as_str(), "version": stored.version, "plugin": hash, "config": config, "effective_from": stored.effective_from});
        let event = AuditEvent {
            actor: by,
            tenant_code: Some(&tenant.code),
            action,
            target: Some(slot.as_str()),
            detail,
        };
        self.store.audit_in(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Roll a tenant's own slot back: append a copy of `to_version`, or of the version before
    /// the one in force today. The copy takes effect at once (and so also supersedes versions
    /// scheduled for later).
    pub async fn rollback(
        &self,
        tenant: &Tenant,
        slot: Slot,
        to_version: Option<i64>,
        by: &str,
    ) -> Result<Binding, ApiError> {
        let versions: Vec<Binding> = self.own_versions(&tenant.code, slot).await?;
        let active = in_force(&versions, self.store.clock().today()).map(|b| b.version);
        let target = match to_version {
            Some(v) => versions.iter().find(|b| b.version == v).ok_or_else(|| {
                bad_request(
                    "version_not_found",
                    "to_version",
                    &format!("没有第{v}版"),
                    &format!("there is no version {v}"),
                )
            })?,
            None => active
                .and_then(|a| versions.iter().filter(|b| b.version < a).max_by_key(|b| b.version))
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::CONFLICT,
                        "nothing_to_roll_back",
                        "此槽位没有可回滚的更早版本",
                        "this slot has no earlier version to roll back to",
                    )
                })?,
        };
        let note = format!("回滚到第{}版 / rollback to version {}", target.version, target.version);
        let config: serde_json::Value =
            serde_json::from_str(&target.config).map_err(ApiError::internal)?;
        let activation = Activation {
            plugin: &target.plugin_hash,
            config: &config,
            effective_from: None,
            note: Some(&note),
        };
        self.bind_as("slot.rollback", tenant, slot, activation, by).await
    }

    async fn own_versions(&self, tenant_code: &str, slot: Slot) -> Result<Vec<Binding>, ApiError> {
        let all = self.store.tenant_bindings(tenant_code).await?;
        Ok(all.into_iter().filter(|b| b.slot == slot.as_str()).collect())
    }

    /// The binding in force on `day` for a tenant's slot, looking up the tree.
    pub async fn resolve(
        &self,
        tenant: &Tenant,
        slot: Slot,
        day: NaiveDate,
    ) -> Result<Option<Resolved>, ApiError> {
        let mut current = Some(tenant.clone());
        while let Some(t) = current {
            let versions = self.own_versions(&t.code, slot).await?;
            if let Some(b) = in_force(&versions, day) {
                return Ok(Some(Resolved { from_tenant: t.code.clone(), binding: b.clone() }));
            }
            current = match &t.parent {
                Some(p) => self.store.get_tenant(p).await?,
                None => None,
            };
        }
        Ok(None)
    }

    /// Every slot of a tenant: what is in force today, where it comes from, and the tenant's own
    /// versions.
    pub async fn slots(&self, tenant: &Tenant) -> Result<Vec<SlotView>, ApiError> {
        let own = self.store.tenant_bindings(&tenant.code).await?;
        let today = self.store.clock().today();
        let mut views = Vec::new();
        for slot in Slot::ALL {
            let active = self.resolve(tenant, slot, today).await?;
            let inherited = active.as_ref().is_some_and(|a| a.from_tenant != tenant.code);
            let versions = own.iter().filter(|b| b.slot == slot.as_str()).cloned().collect();
            views.push(SlotView { slot, active, inherited, versions });
        }
        Ok(views)
    }

    /// Call a tenant's slot with a JSON input (the playground), keeping a receipt for
    /// consequential slots.
    pub async fn invoke_json(
        &self,
        tenant: &Tenant,
        slot: Slot,
        input: serde_json::Value,
        source: &str,
    ) -> Result<Invocation, ApiError> {
        let (resolved, plugin, ctx) = self.prepare(tenant, slot).await?;
        let called = {
            let (plugin, ctx, input) = (plugin.clone(), ctx.clone(), input.clone());
            self.runtime
                .blocking(share_of(tenant), move |rt| rt.call_json(&plugin, &ctx, &input))
                .await??
        };
        let decision_id =
            self.keep_receipt(slot, tenant, &resolved, &ctx, &input, &called, source).await?;
        Ok(Invocation {
            decision_id,
            tenant: tenant.code.clone(),
            slot,
            plugin_hash: plugin.hash.clone(),
            from_tenant: resolved.from_tenant,
            version: resolved.binding.version,
            output: called.output,
            fuel_used: called.fuel_used,
            duration_us: called.duration_us,
        })
    }

    /// Call a tenant's slot with a typed input (domain code), keeping a receipt for
    /// consequential slots.
    pub async fn call<W: SlotWorld>(
        &self,
        tenant: &Tenant,
        input: W::Input,
        source: &str,
    ) -> Result<Decided<W::Output>, ApiError> {
        let (resolved, plugin, ctx) = self.prepare(tenant, W::SLOT).await?;
        let called = {
            let (ctx, input) = (ctx.clone(), input.clone());
            self.runtime
                .blocking(share_of(tenant), move |rt| rt.call::<W>(&plugin, &ctx, &input))
                .await??
        };
        let as_json = Called {
            output: serde_json::to_value(&called.output).map_err(ApiError::internal)?,
            fuel_used: called.fuel_used,
            duration_us: called.duration_us,
        };
        let input = serde_json::to_value(&input).map_err(ApiError::internal)?;
        let decision_id =
            self.keep_receipt(W::SLOT, tenant, &resolved, &ctx, &input, &as_json, source).await?;
        Ok(Decided { decision_id, output: called.output })
    }

    /// Call a tenant's slot on many inputs in one hop to the blocking pool, without receipts:
    /// for rankings computed to choose what to show (the shown part is then recorded with
    /// [`Rules::call`]). The inner result is the market's plugin failing (or too busy), which a
    /// caller spanning several markets leaves out instead of failing as a whole.
    pub async fn call_many<W: SlotWorld>(
        &self,
        tenant: &Tenant,
        inputs: Vec<W::Input>,
    ) -> Result<Result<Vec<W::Output>, PluginError>, ApiError> {
        let (_, plugin, ctx) = self.prepare(tenant, W::SLOT).await?;
        let outputs = self
            .runtime
            .blocking(share_of(tenant), move |rt| {
                inputs
                    .iter()
                    .map(|input| rt.call::<W>(&plugin, &ctx, input).map(|c| c.output))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await;
        Ok(match outputs {
            Ok(result) => result,
            Err(busy @ PluginError::Busy { .. }) => Err(busy),
            Err(other) => return Err(other.into()),
        })
    }

    async fn prepare(
        &self,
        tenant: &Tenant,
        slot: Slot,
    ) -> Result<(Resolved, Arc<LoadedPlugin>, CallContext), ApiError> {
        let resolved =
            self.resolve(tenant, slot, self.store.clock().today()).await?.ok_or_else(|| {
                let en = format!(
                    "no rule is bound for slot `{}` in this market or above it",
                    slot.as_str()
                );
                ApiError::not_found("slot_unbound", "此市场及其上级均未配置该规则", &en)
                    .with_field("slot")
            })?;
        let plugin = self.plugin(&resolved.binding.plugin_hash).await?;
        let ctx =
            CallContext { tenant: tenant_info(tenant), config: resolved.binding.config.clone() };
        Ok((resolved, plugin, ctx))
    }

    #[allow(clippy::too_many_arguments)]
    async fn keep_receipt(
        &self,
        slot: Slot,
        tenant: &Tenant,
        resolved: &Resolved,
        ctx: &CallContext,
        input: &serde_json::Value,
        called: &Called<serde_json::Value>,
        source: &str,
    ) -> Result<Option<String>, ApiError> {
        if !slot.keeps_receipts() {
            return Ok(None);
        }
        let decision = Decision {
            id: uuid::Uuid::now_v7().to_string(),
            tenant_code: tenant.code.clone(),
            slot: slot.as_str().to_string(),
            plugin_hash: resolved.binding.plugin_hash.clone(),
            binding_id: Some(resolved.binding.id.clone()),
            tenant_info: serde_json::to_string(&ctx.tenant).map_err(ApiError::internal)?,
            config: ctx.config.clone(),
            input: input.to_string(),
            output: called.output.to_string(),
            fuel_used: called.fuel_used as i64,
            duration_us: called.duration_us as i64,
            source: source.to_string(),
            created_at: self.store.now(),
        };
        self.store.insert_decision(&decision).await?;
        Ok(Some(decision.id))
    }

    /// The recorded decision `id`, or `decision_not_found` (404). Callers check the tenant.
    pub async fn decision(&self, id: &str) -> Result<Decision, ApiError> {
        self.store.get_decision(id).await?.ok_or_else(|| decision_not_found(id))
    }

    /// The recorded decision `id` if it was made for `market` or a market under it; any other
    /// market's decision is "not found", so that probing ids reveals nothing about it.
    pub async fn decision_within(&self, market: &str, id: &str) -> Result<Decision, ApiError> {
        let decision = self.decision(id).await?;
        let path = crate::authz::path_of(&decision.tenant_code, &self.store.list_tenants().await?)
            .unwrap_or_default();
        if path.split('/').any(|code| code == market) {
            Ok(decision)
        } else {
            Err(decision_not_found(id))
        }
    }

    /// The latest `limit` decisions made for one market (any slot), newest first.
    pub async fn recent_decisions(
        &self,
        tenant_code: &str,
        limit: i64,
    ) -> Result<Vec<Decision>, ApiError> {
        Ok(self.store.tenant_decisions(tenant_code, limit).await?)
    }

    /// Re-run a recorded decision with the same plugin, configuration and input, bounded by the
    /// fuel it was recorded with: a replay that needs more did not reproduce the decision and is
    /// reported as `plugin_fuel_exhausted`. Its wall-clock limit is only a safety net far beyond
    /// the live deadline: missing it is `host_overloaded` (503), never a different decision.
    pub async fn replay(&self, id: &str) -> Result<ReplayReport, ApiError> {
        let d = self.decision(id).await?;
        let plugin = self.plugin(&d.plugin_hash).await?;
        let (ctx, input) = recorded_call(&d)?;
        let settings = self.runtime.settings();
        let recorded_fuel = d.fuel_used as u64;
        let budget =
            Budget::replay(recorded_fuel, &settings.limits(plugin.slot()), settings.safety_factor);
        let share = d.tenant_code.clone();
        let result = self
            .runtime
            .blocking(&share, move |rt| {
                rt.metered_json(&plugin, &ctx, &input, budget).into_called()
            })
            .await?;
        let recorded: serde_json::Value =
            serde_json::from_str(&d.output).map_err(ApiError::internal)?;
        let (replayed_output, replayed_fuel, error) = match result {
            Ok(called) if called.fuel_used > recorded_fuel => (
                called.output,
                called.fuel_used,
                Some(PluginError::FuelExhausted.code().to_string()),
            ),
            Ok(called) => (called.output, called.fuel_used, None),
            Err(e) if e.is_plugin_failure() => {
                (serde_json::Value::Null, budget.fuel, Some(e.code().to_string()))
            }
            Err(e) => return Err(e.into()),
        };
        let output_identical = recorded == replayed_output;
        let fuel_identical = recorded_fuel == replayed_fuel;
        Ok(ReplayReport {
            decision_id: d.id,
            identical: output_identical && fuel_identical && error.is_none(),
            output_identical,
            fuel_identical,
            recorded_fuel,
            replayed_fuel,
            replayed_output,
            error,
        })
    }

    /// The store, for the dry-run jobs of [`dry_run`].
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// A candidate plugin that implements `slot`, or the error that says it does not.
    async fn candidate(&self, slot: Slot, hash: &str) -> Result<Arc<LoadedPlugin>, ApiError> {
        let plugin = self.plugin(hash).await?;
        if plugin.slot() != slot {
            return Err(wrong_slot(hash, plugin.slot().as_str(), slot));
        }
        Ok(plugin)
    }
}

/// The tenant information a plugin may read.
pub fn tenant_info(t: &Tenant) -> types::TenantInfo {
    let kind = match t.kind {
        TenantKind::City => types::TenantKind::City,
        TenantKind::County => types::TenantKind::County,
        TenantKind::Specialty => types::TenantKind::Specialty,
        TenantKind::Station => types::TenantKind::Station,
    };
    types::TenantInfo {
        code: t.code.clone(),
        kind,
        name: t.name.clone(),
        region_code: t.region_code.clone(),
    }
}

/// The call context and input a decision was made with.
pub(crate) fn recorded_call(d: &Decision) -> Result<(CallContext, serde_json::Value), ApiError> {
    let tenant = serde_json::from_str(&d.tenant_info).map_err(ApiError::internal)?;
    let input = serde_json::from_str(&d.input).map_err(ApiError::internal)?;
    Ok((CallContext { tenant, config: d.config.clone() }, input))
}

/// The version in force on `day`: the highest whose effective date is not after it (compared as
/// dates).
fn in_force(versions: &[Binding], day: NaiveDate) -> Option<&Binding> {
    versions.iter().filter(|b| b.effective_from.is_none_or(|e| e <= day)).max_by_key(|b| b.version)
}

/// The plugin `hash` implements `implements`, not `slot`.
fn wrong_slot(hash: &str, implements: &str, slot: Slot) -> ApiError {
    let en = format!("plugin {hash} implements `{implements}`, not `{}`", slot.as_str());
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "plugin_wrong_slot",
        "该插件不实现这个槽位",
        &en,
    )
    .with_field("plugin")
}

/// The slot named `raw` (`posting-review`, …), or `slot_not_found` (404) naming the field.
pub fn slot_named(raw: &str) -> Result<Slot, ApiError> {
    Slot::parse(raw).ok_or_else(|| {
        ApiError::not_found(
            "slot_not_found",
            &format!("没有名为 `{raw}` 的插件槽位"),
            "unknown slot: expected naming, service-catalog, posting-review, matching, subsidy or evaluation",
        )
        .with_field("slot")
    })
}

/// No decision `id` (or none the caller may see: the same answer).
pub fn decision_not_found(id: &str) -> ApiError {
    ApiError::not_found(
        "decision_not_found",
        &format!("没有编号为 {id} 的决定记录"),
        &format!("no decision with id {id}"),
    )
    .with_field("id")
}

fn plugin_not_found(hash: &str) -> ApiError {
    ApiError::not_found(
        "plugin_not_found",
        &format!("没有哈希为 {hash} 的插件"),
        &format!("no plugin with hash {hash}"),
    )
    .with_field("plugin")
}
