//! Dry-runs: a candidate plugin over a market's recorded inputs, within a total budget.
//!
//! Each input is a separate trip to the plugin runtime (so a long run takes its market's share one
//! call at a time, never a neighbour's), bounded by the slot's fuel and by what is left of the
//! run's total fuel and time. Past either budget the run stops and says so: the answer is a clear
//! partial result, not a request that hangs for minutes. Runs bigger than a request allows go to
//! a background job whose progress is stored, so any host (and the console) can show it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use super::diff::{self, Stopped};
use super::{DryRunReport, Rules, recorded_call, share_of};
use crate::error::ApiError;
use crate::plugins::runtime::{Budget, RuntimeSettings};
use crate::plugins::{LoadedPlugin, PluginError, Slot, SlotLimits};
use crate::store::rules::{Decision, DryRunRow};
use crate::tenants::Tenant;

/// The most inputs a dry-run answers within its request; more go to a background job.
pub const MAX_IN_REQUEST: i64 = 50;
/// The most inputs of one dry-run.
pub const MAX_INPUTS: i64 = 500;
/// A running job that has not reported progress for this long stopped with its host.
const STALE_AFTER: chrono::Duration = chrono::Duration::minutes(5);

/// What a dry-run may spend over all its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DryRunBudget {
    /// The most wall-clock time the whole run may take.
    pub wall: Duration,
    /// The most fuel all its calls together may burn.
    pub fuel: u64,
}

impl DryRunBudget {
    /// In one request: ten calls' worth of fuel, and `dry_run_wall` (10 s by default).
    pub fn request(settings: &RuntimeSettings, slot: Slot) -> DryRunBudget {
        DryRunBudget {
            wall: settings.dry_run_wall,
            fuel: settings.limits(slot).fuel.saturating_mul(10),
        }
    }

    /// As a background job: every input's worth of fuel and ten minutes.
    pub fn job(limits: &SlotLimits, inputs: usize) -> DryRunBudget {
        DryRunBudget {
            wall: Duration::from_secs(600),
            fuel: limits.fuel.saturating_mul(inputs as u64),
        }
    }
}

/// What to dry-run.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The slot whose recorded inputs are run.
    pub slot: Slot,
    /// sha256 of the candidate component.
    pub plugin: String,
    /// Its configuration; `None`: the configuration each decision was made with.
    pub config: Option<serde_json::Value>,
    /// How many of the latest recorded inputs.
    pub limit: i64,
}

/// A background dry-run and, once it finished, its report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DryRunJob {
    /// The job's id (UUID v7).
    pub id: String,
    /// The market whose recorded inputs are run.
    pub tenant: String,
    /// The slot tried (`posting-review`, …).
    pub slot: String,
    /// sha256 of the candidate plugin.
    pub candidate: String,
    /// `running`, `finished`, `failed`, or `interrupted` (its host stopped before it finished:
    /// start it again).
    pub status: String,
    /// Inputs run so far, of `inputs`.
    pub done: i64,
    /// How many recorded inputs the job runs.
    pub inputs: i64,
    /// The report, once `finished`.
    pub report: Option<DryRunReport>,
    /// Why the job failed, once `failed`.
    pub error: Option<String>,
    /// Who started it.
    pub created_by: String,
    /// When it started (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub created_at: String,
    /// When it last made progress (UTC text timestamp).
    pub updated_at: String,
}

fn check_limit(limit: i64) -> Result<(), ApiError> {
    if (1..=MAX_INPUTS).contains(&limit) {
        return Ok(());
    }
    Err(ApiError::bad_request(
        "invalid_limit",
        &format!("limit 应在 1 到 {MAX_INPUTS} 之间"),
        &format!("limit must be between 1 and {MAX_INPUTS}"),
    )
    .with_field("limit"))
}

impl Rules {
    /// Dry-run a candidate within one request (at most [`MAX_IN_REQUEST`] inputs) and a
    /// request's budget.
    pub async fn dry_run(
        &self,
        tenant: &Tenant,
        candidate: &Candidate,
    ) -> Result<DryRunReport, ApiError> {
        check_limit(candidate.limit)?;
        if candidate.limit > MAX_IN_REQUEST {
            let zh = format!("超过{MAX_IN_REQUEST}条的试运行请以后台任务运行(background: true)");
            let en = format!(
                "a dry-run of more than {MAX_IN_REQUEST} inputs runs as a background job: set background: true"
            );
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "dry_run_too_large",
                &zh,
                &en,
            )
            .with_field("limit"));
        }
        let plugin = self.candidate(candidate.slot, &candidate.plugin).await?;
        let decisions = self
            .store()
            .recent_decisions(&tenant.code, candidate.slot.as_str(), candidate.limit)
            .await?;
        let budget = DryRunBudget::request(self.runtime().settings(), candidate.slot);
        self.trials(tenant, &plugin, candidate, decisions, budget, |_| async { Ok(()) }).await
    }

    /// Start a dry-run as a background job; its progress and report are read with
    /// [`Rules::dry_run_job`].
    pub async fn start_dry_run(
        &self,
        tenant: &Tenant,
        candidate: Candidate,
        by: &str,
    ) -> Result<DryRunJob, ApiError> {
        check_limit(candidate.limit)?;
        let plugin = self.candidate(candidate.slot, &candidate.plugin).await?;
        let decisions = self
            .store()
            .recent_decisions(&tenant.code, candidate.slot.as_str(), candidate.limit)
            .await?;
        let now = self.store().now();
        let row = DryRunRow {
            id: uuid::Uuid::now_v7().to_string(),
            tenant_code: tenant.code.clone(),
            slot: candidate.slot.as_str().to_string(),
            plugin_hash: candidate.plugin.clone(),
            inputs: decisions.len() as i64,
            done: 0,
            status: "running".into(),
            report: None,
            error: None,
            created_by: by.to_string(),
            created_at: now.clone(),
            updated_at: now,
        };
        self.store().insert_dry_run(&row).await?;
        let (rules, tenant, id) = (self.clone(), tenant.clone(), row.id.clone());
        tokio::spawn(
            async move { rules.run_job(&tenant, &id, plugin, candidate, decisions).await },
        );
        Ok(job_view(row, self.clock().now()))
    }

    /// A background dry-run of a market (other markets' jobs are not found).
    pub async fn dry_run_job(&self, tenant_code: &str, id: &str) -> Result<DryRunJob, ApiError> {
        let row = self.store().dry_run(id, tenant_code).await?.ok_or_else(|| {
            ApiError::not_found(
                "dry_run_not_found",
                &format!("没有编号为 {id} 的试运行任务"),
                &format!("no dry-run job {id} in this market"),
            )
            .with_field("id")
        })?;
        Ok(job_view(row, self.clock().now()))
    }

    async fn run_job(
        &self,
        tenant: &Tenant,
        id: &str,
        plugin: Arc<LoadedPlugin>,
        candidate: Candidate,
        decisions: Vec<Decision>,
    ) {
        let budget =
            DryRunBudget::job(&self.runtime().settings().limits(candidate.slot), decisions.len());
        let store = self.store().clone();
        let progress = |done: usize| {
            let store = store.clone();
            async move { store.dry_run_progress(id, done as i64).await }
        };
        let outcome =
            match self.trials(tenant, &plugin, &candidate, decisions, budget, progress).await {
                Ok(report) => serde_json::to_string(&report)
                    .map(|r| ("finished", Some(r), None))
                    .map_err(|e| e.to_string()),
                Err(e) => Ok(("failed", None, Some(e.to_string()))),
            };
        let (status, report, error) = outcome.unwrap_or_else(|e| ("failed", None, Some(e)));
        if let Err(e) = store.finish_dry_run(id, status, report.as_deref(), error.as_deref()).await
        {
            tracing::error!(job = id, error = %e, "cannot record the end of a dry-run job");
        }
    }

    /// Run the candidate on each recorded input, newest first, until the inputs or the budget
    /// run out. `progress(done)` is awaited after each input.
    async fn trials<F, Fut>(
        &self,
        tenant: &Tenant,
        plugin: &Arc<LoadedPlugin>,
        candidate: &Candidate,
        decisions: Vec<Decision>,
        budget: DryRunBudget,
        progress: F,
    ) -> Result<DryRunReport, ApiError>
    where
        F: Fn(usize) -> Fut,
        Fut: std::future::Future<Output = Result<(), sqlx::Error>>,
    {
        let settings = self.runtime().settings();
        let limits = settings.limits(candidate.slot);
        let safety = Duration::from_millis(
            limits.deadline_ms.saturating_mul(u64::from(settings.safety_factor)),
        );
        let (start, inputs) = (Instant::now(), decisions.len());
        let (mut items, mut fuel_used, mut stopped) = (Vec::with_capacity(inputs), 0u64, None);
        for d in decisions {
            let (wall_left, fuel_left) = (
                budget.wall.saturating_sub(start.elapsed()),
                budget.fuel.saturating_sub(fuel_used),
            );
            if wall_left.is_zero() || fuel_left == 0 {
                stopped = Some(if wall_left.is_zero() {
                    Stopped::TimeBudget
                } else {
                    Stopped::FuelBudget
                });
                break;
            }
            let call = Budget::trial(limits.fuel.min(fuel_left), safety.min(wall_left));
            let (mut ctx, input) = recorded_call(&d)?;
            if let Some(c) = &candidate.config {
                ctx.config = c.to_string();
            }
            let recorded: serde_json::Value =
                serde_json::from_str(&d.output).map_err(ApiError::internal)?;
            let plugin = plugin.clone();
            let metered = self
                .runtime()
                .blocking(share_of(tenant), move |rt| rt.metered_json(&plugin, &ctx, &input, call))
                .await?;
            fuel_used = fuel_used.saturating_add(metered.fuel_used);
            match metered.result {
                // The run's own budget, not the plugin, cut this call short: it does not count.
                Err(PluginError::HostOverloaded) => {
                    stopped = Some(if call.deadline < safety {
                        Stopped::TimeBudget
                    } else {
                        Stopped::HostOverloaded
                    });
                    break;
                }
                Err(PluginError::FuelExhausted) if call.fuel < limits.fuel => {
                    stopped = Some(Stopped::FuelBudget);
                    break;
                }
                Err(e)
                    if !e.is_plugin_failure() && !matches!(e, PluginError::InvalidInput { .. }) =>
                {
                    return Err(e.into());
                }
                result => items.push(diff::compare(candidate.slot, d.id, &recorded, result)),
            }
            progress(items.len()).await?;
        }
        Ok(DryRunReport::new(
            candidate.slot,
            &candidate.plugin,
            inputs,
            items,
            stopped,
            fuel_used,
            start.elapsed().as_millis() as u64,
        ))
    }
}

fn job_view(row: DryRunRow, now: chrono::DateTime<chrono::Utc>) -> DryRunJob {
    let stale = row.status == "running"
        && chrono::DateTime::parse_from_rfc3339(&row.updated_at)
            .is_ok_and(|t| now - t.with_timezone(&chrono::Utc) > STALE_AFTER);
    DryRunJob {
        id: row.id,
        tenant: row.tenant_code,
        slot: row.slot,
        candidate: row.plugin_hash,
        status: if stale { "interrupted".into() } else { row.status },
        done: row.done,
        inputs: row.inputs,
        report: row.report.and_then(|r| serde_json::from_str(&r).ok()),
        error: row.error,
        created_by: row.created_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}
