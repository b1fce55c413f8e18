//! Batch assignment of a morning market (快速配岗) as a workflow: [`draft`] draws up the pairs
//! with receipts, staff review them, [`publish`] turns them into offers; both are audited.
//! [`assign`](super::assign) is the algorithm; this module decides what is stored.

use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ScoreReason, assign};
use crate::engagements::workflow::{Origin, take};
use crate::error::ApiError;
use crate::rules::Rules;
use crate::store::Store;
use crate::store::audit::AuditEvent;
use crate::store::engagements::TakeRefused;
use crate::store::jobs::JobRow;
use crate::store::matching::{ItemRow, RunRow, WorkerFeatures};
use crate::tenants::Tenant;

/// Why a published pair became no offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The post stopped hiring meanwhile.
    NotOpen,
    /// Its places were taken meanwhile.
    Full,
    /// The worker applied or was offered it meanwhile.
    AlreadyEngaged,
    /// The post no longer exists.
    Gone,
}

impl SkipReason {
    /// The stable code stored with the pair.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::NotOpen => "job_not_open",
            SkipReason::Full => "job_full",
            SkipReason::AlreadyEngaged => "already_engaged",
            SkipReason::Gone => "job_gone",
        }
    }

    /// The reason stored as `s` (as [`SkipReason::as_str`] writes it); `None` for anything else.
    pub fn parse(s: &str) -> Option<SkipReason> {
        [SkipReason::NotOpen, SkipReason::Full, SkipReason::AlreadyEngaged, SkipReason::Gone]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// The reason in Chinese, for staff.
    pub fn name_zh(self) -> &'static str {
        match self {
            SkipReason::NotOpen => "岗位已停止招聘",
            SkipReason::Full => "岗位名额已满",
            SkipReason::AlreadyEngaged => "该零工已报名或已被录用",
            SkipReason::Gone => "岗位已不存在",
        }
    }
}

impl From<TakeRefused> for SkipReason {
    fn from(why: TakeRefused) -> SkipReason {
        match why {
            TakeRefused::NotOpen => SkipReason::NotOpen,
            TakeRefused::Full => SkipReason::Full,
            TakeRefused::AlreadyEngaged => SkipReason::AlreadyEngaged,
        }
    }
}

/// The 404 for a run that does not exist in the market asked (`run_not_found`).
pub fn not_found() -> ApiError {
    ApiError::not_found("run_not_found", "没有该配岗方案", "no such assignment run")
}

/// One proposed pair of a batch assignment.
#[derive(Serialize, ToSchema)]
pub struct PairView {
    /// The post.
    pub job_id: String,
    /// The post's title as it is now (empty if the post is gone).
    pub job_title: String,
    /// The worker's account id.
    pub worker_id: String,
    /// The worker's real name; `None` if they have no profile.
    pub worker_name: Option<String>,
    /// The plugin's score for the pair (higher is better).
    pub score: f64,
    /// The plugin's reasons for it.
    pub reasons: Vec<ScoreReason>,
    /// The receipt of the scoring call of this job.
    pub decision_id: Option<String>,
    /// After publishing: the offer made.
    pub engagement_id: Option<String>,
    /// After publishing: why no offer was made, as a code (`job_full`, `job_not_open`,
    /// `already_engaged`, `job_gone`).
    pub skipped: Option<String>,
    /// The same in Chinese, for people.
    pub skipped_reason: Option<String>,
}

/// A batch assignment run as staff review it.
#[derive(Serialize, ToSchema)]
pub struct RunView {
    /// The run's id (UUID v7).
    pub id: String,
    /// The market whose morning it assigns.
    pub tenant: String,
    /// The day assigned (China date, `YYYY-MM-DD`).
    pub day: String,
    /// `draft` or `published`.
    pub status: String,
    /// The sum of the pairs' scores, which the assignment maximises.
    pub total_score: f64,
    /// How many of the market's open posts were considered.
    pub jobs: i64,
    /// How many checked-in workers who were free that day were considered.
    pub workers: i64,
    /// The proposed pairs, by post then worker.
    pub pairs: Vec<PairView>,
    /// The staff account that drew it up.
    pub created_by: String,
    /// The staff account that published it; `None` while a draft.
    pub published_by: Option<String>,
}

/// A run as staff review it (the JSON API and the console show the same).
pub async fn view(store: &Store, run: RunRow, items: Vec<ItemRow>) -> Result<RunView, ApiError> {
    let mut pairs = Vec::with_capacity(items.len());
    for i in items {
        pairs.push(PairView {
            job_title: store.job(&i.job_id).await?.map(|j| j.title).unwrap_or_default(),
            worker_name: store.profile(&i.worker_id).await?.map(|p| p.name),
            reasons: serde_json::from_str(&i.reasons).map_err(ApiError::internal)?,
            job_id: i.job_id,
            worker_id: i.worker_id,
            score: i.score,
            decision_id: i.decision_id,
            engagement_id: i.engagement_id,
            skipped_reason: i
                .skipped
                .as_deref()
                .and_then(SkipReason::parse)
                .map(|s| s.name_zh().to_string()),
            skipped: i.skipped,
        });
    }
    Ok(RunView {
        id: run.id,
        tenant: run.tenant_code,
        day: run.day,
        status: run.status,
        total_score: run.total_score,
        jobs: run.jobs,
        workers: run.workers,
        pairs,
        created_by: run.created_by,
        published_by: run.published_by,
    })
}

/// Draw up a batch assignment for `tenant`'s morning: its open posts against the workers who
/// checked in today and are free, maximising the total score within headcounts (each pair's
/// job scored once more with a receipt, for review). Stored as a draft, audited.
pub async fn draft(
    store: &Store,
    rules: &Rules,
    tenant: &Tenant,
    actor: &str,
) -> Result<RunView, ApiError> {
    let day = store.clock().today().to_string();
    let jobs = store.open_jobs_of(&tenant.code, &store.now()).await?;
    let busy = store.busy_workers(&day).await?;
    let present: Vec<String> = store
        .checked_in(&tenant.code, &day)
        .await?
        .into_iter()
        .filter(|w| !busy.contains(w))
        .collect();
    let workers = store.workers_features(&present).await?;
    let chosen = choose(rules, tenant, &jobs, &workers).await?;
    let items = receipts(rules, tenant, &jobs, &workers, &chosen).await?;
    let run = RunRow {
        id: uuid::Uuid::now_v7().to_string(),
        tenant_code: tenant.code.clone(),
        day,
        status: "draft".into(),
        total_score: chosen.iter().map(|a| a.score).sum(),
        jobs: jobs.len() as i64,
        workers: workers.len() as i64,
        created_by: actor.to_string(),
        created_at: store.now(),
        published_by: None,
        published_at: None,
    };
    let detail = serde_json::json!({"run": run.id, "pairs": items.len(), "jobs": run.jobs, "workers": run.workers});
    let event = AuditEvent {
        actor,
        tenant_code: Some(&tenant.code),
        action: "assignment.draft",
        target: Some(&run.id),
        detail,
    };
    let mut tx = store.begin().await?;
    store.insert_run(&mut tx, &run, &items).await?;
    store.audit_in(&mut tx, &event).await?;
    tx.commit().await?;
    view(store, run, items).await
}

/// The best pairs: every post scored against every present worker by the market's plugin, then
/// the highest total within headcounts.
async fn choose(
    rules: &Rules,
    tenant: &Tenant,
    jobs: &[JobRow],
    workers: &[WorkerFeatures],
) -> Result<Vec<assign::Assignment>, ApiError> {
    let mut edges = Vec::new();
    for (j, job) in jobs.iter().enumerate() {
        let scored = super::score_pool(rules, tenant, job, workers).await?;
        edges.extend(scored.into_iter().map(|r| assign::Edge {
            job: j,
            worker: r.index,
            score: r.score,
        }));
    }
    let headcounts: Vec<u32> =
        jobs.iter().map(|j| (j.headcount - j.taken).clamp(0, i64::from(u32::MAX)) as u32).collect();
    Ok(assign::assign(&headcounts, workers.len(), &edges))
}

/// The draft's pairs, each with the reasons from a receipt-keeping scoring of its post's chosen
/// workers: what staff will review.
async fn receipts(
    rules: &Rules,
    tenant: &Tenant,
    jobs: &[JobRow],
    workers: &[WorkerFeatures],
    chosen: &[assign::Assignment],
) -> Result<Vec<ItemRow>, ApiError> {
    let mut items = Vec::with_capacity(chosen.len());
    for (j, job) in jobs.iter().enumerate() {
        let mine: Vec<&assign::Assignment> = chosen.iter().filter(|a| a.job == j).collect();
        if mine.is_empty() {
            continue;
        }
        let shown: Vec<&WorkerFeatures> = mine.iter().map(|a| &workers[a.worker]).collect();
        let (decision, scores) =
            super::record(rules, tenant, job, &shown, "batch-assignment").await?;
        for (a, s) in mine.into_iter().zip(scores) {
            let reasons: Vec<ScoreReason> = s.map(|s| s.reasons).unwrap_or_default();
            items.push(ItemRow {
                job_id: job.id.clone(),
                worker_id: workers[a.worker].account_id.clone(),
                score: a.score,
                reasons: serde_json::to_string(&reasons).map_err(ApiError::internal)?,
                decision_id: decision.clone(),
                engagement_id: None,
                skipped: None,
            });
        }
    }
    Ok(items)
}

/// A run of a market.
pub async fn get(store: &Store, tenant: &str, id: &str) -> Result<RunView, ApiError> {
    let (run, items) = store.run(id, tenant).await?.ok_or_else(not_found)?;
    view(store, run, items).await
}

/// Publish a reviewed draft: every pair becomes an offer to the worker (who still accepts or
/// declines); a pair whose place was taken meanwhile is skipped with the reason. Audited.
pub async fn publish(
    store: &Store,
    tenant: &str,
    id: &str,
    actor: &str,
) -> Result<RunView, ApiError> {
    let (_, items) = store.run(id, tenant).await?.ok_or_else(not_found)?;
    // Publishing is decided (and audited) at once; the offers follow, each in its own step,
    // and each pair records what became of it.
    let detail = serde_json::json!({"pairs": items.len()});
    let event = AuditEvent {
        actor,
        tenant_code: Some(tenant),
        action: "assignment.publish",
        target: Some(id),
        detail,
    };
    let mut tx = store.begin().await?;
    if !store.publish_run(&mut tx, id, tenant, actor).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "run_not_draft",
            "该配岗方案已发布",
            "this run was published already",
        ));
    }
    store.audit_in(&mut tx, &event).await?;
    tx.commit().await?;
    for item in &items {
        let outcome = match store.job(&item.job_id).await? {
            Some(job) => take(store, &job, &item.worker_id, Origin::Batch, actor)
                .await?
                .map_err(SkipReason::from),
            None => Err(SkipReason::Gone),
        };
        match outcome {
            Ok(e) => store.set_item_outcome(id, &item.worker_id, Some(&e.id), None).await?,
            Err(why) => {
                store.set_item_outcome(id, &item.worker_id, None, Some(why.as_str())).await?
            }
        }
    }
    get(store, tenant, id).await
}
