//! Every step of an engagement: taking a place (an application, an offer, a batch offer), and
//! each action of the transition table. Each function checks who acts, the moment and the input,
//! decides what the step writes, and has the store write exactly that; a refusal writes nothing.

use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Action, Agreement, Party, Status, either_party, rule, seal};
use crate::error::ApiError;
use crate::store::Store;
use crate::store::engagements::{EngagementRow, Rating, Stamp, TakeRefused, Transition};
use crate::store::jobs::JobRow;

/// How an engagement began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The worker applied (在线报名).
    Application,
    /// The employer offered the job to a worker.
    Offer,
    /// A published batch assignment (快速配岗) offered it.
    Batch,
}

impl Origin {
    /// As stored in `engagements.origin`: `application`, `offer` or `batch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Application => "application",
            Origin::Offer => "offer",
            Origin::Batch => "batch",
        }
    }

    /// The status the engagement starts in.
    fn first_status(self) -> Status {
        match self {
            Origin::Application => Status::Applied,
            Origin::Offer | Origin::Batch => Status::Offered,
        }
    }
}

/// What an action may carry.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    /// `sign`: the hash of the agreement being signed (from the engagement).
    pub agreement_hash: Option<String>,
    /// `pay`: the amount paid, in fen.
    pub amount_cents: Option<i64>,
    /// `pay`: `cash`, `bank_transfer`, `wechat`, `alipay` or `other`.
    pub method: Option<String>,
    /// `pay`: when it was paid (RFC 3339; default now).
    pub paid_at: Option<String>,
    /// `dispute`: what is wrong; `turn-down`, `withdraw`, `decline`: an optional note.
    pub reason: Option<String>,
    /// `rate`: 1–5.
    pub score: Option<i64>,
    /// `rate`: an optional comment, at most 200 characters.
    pub comment: Option<String>,
}

/// The legal text of every agreement (快速签约).
const TERMS: &str = "双方按本协议约定的岗位、工期、工时、工资标准和结算方式履行;用工方按时足额支付工资,不得向劳动者收取任何费用。";

/// The 404 for an engagement that does not exist or is not the caller's (`engagement_not_found`).
pub fn not_found() -> ApiError {
    ApiError::not_found("engagement_not_found", "没有该用工记录", "no such engagement")
}

fn conflict(code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, code, zh, en)
}

fn forbidden(code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, code, zh, en)
}

fn invalid(field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request("invalid_field", zh, en).with_field(field)
}

fn concurrent() -> ApiError {
    conflict(
        "concurrent_change",
        "状态已被另一方更改,请刷新后重试",
        "the engagement changed meanwhile; reload and retry",
    )
}

/// Why a place could not be taken, as the API says it.
pub fn refused(why: TakeRefused) -> ApiError {
    match why {
        TakeRefused::NotOpen => {
            conflict("job_not_open", "该岗位已停止招聘", "the job is not open for hiring")
        }
        TakeRefused::Full => {
            conflict("job_full", "该岗位名额已满", "every place of this job is taken")
        }
        TakeRefused::AlreadyEngaged => conflict(
            "already_engaged",
            "已报名或已被录用该岗位",
            "already applied to or engaged on this job",
        ),
    }
}

/// A worker must have a real-name profile to be engaged at all.
async fn require_worker_profile(store: &Store, account: &str) -> Result<(), ApiError> {
    let ok = store.account(account).await?.is_some_and(|a| a.kind == "worker")
        && store.profile(account).await?.is_some();
    if ok {
        Ok(())
    } else {
        Err(forbidden(
            "worker_profile_required",
            "请先填写零工实名信息",
            "a worker with a real-name profile is required",
        ))
    }
}

/// Take a place of `job` for `worker`: the engagement begins as `origin` says. The inner error
/// is why the place could not be taken (a batch records it and goes on).
pub async fn take(
    store: &Store,
    job: &JobRow,
    worker: &str,
    origin: Origin,
    actor: &str,
) -> Result<Result<EngagementRow, TakeRefused>, ApiError> {
    let now = store.now();
    let row = EngagementRow {
        id: uuid::Uuid::now_v7().to_string(),
        job_id: job.id.clone(),
        tenant_code: job.tenant_code.clone(),
        worker_id: worker.to_string(),
        employer_id: job.employer_id.clone(),
        status: origin.first_status().as_str().to_string(),
        origin: origin.as_str().to_string(),
        agreement: None,
        agreement_hash: None,
        worker_signed_at: None,
        employer_signed_at: None,
        checked_in_at: None,
        checked_out_at: None,
        paid_cents: None,
        paid_method: None,
        paid_at: None,
        dispute_reason: None,
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    Ok(store.take_place(&row, actor, &now).await?.map(|()| row))
}

/// Apply for a job (在线报名): a worker with a profile takes one of its places, first come first
/// served.
pub async fn apply(store: &Store, worker: &str, job_id: &str) -> Result<EngagementRow, ApiError> {
    require_worker_profile(store, worker).await?;
    let job = crate::jobs::load(store, job_id).await?;
    take(store, &job, worker, Origin::Application, worker).await?.map_err(refused)
}

/// The employer offers its own job directly to a worker (e.g. a recommended one); another
/// employer's job is not found.
pub async fn offer(
    store: &Store,
    employer: &str,
    job_id: &str,
    worker: &str,
) -> Result<EngagementRow, ApiError> {
    let job = crate::jobs::load(store, job_id).await?;
    if job.employer_id != employer {
        return Err(crate::jobs::not_found());
    }
    require_worker_profile(store, worker).await.map_err(|e| e.with_field("worker_id"))?;
    take(store, &job, worker, Origin::Offer, employer).await?.map_err(refused)
}

/// The applicants and engaged workers of an employer's own job; another employer's job is not
/// found.
pub async fn of_job(
    store: &Store,
    employer: &str,
    job_id: &str,
) -> Result<Vec<EngagementRow>, ApiError> {
    crate::jobs::load_own(store, employer, job_id).await?;
    Ok(store.job_engagements(job_id).await?)
}

/// An engagement of `account`, and which party they are in it; anyone else gets not found.
pub async fn as_party(
    store: &Store,
    account: &str,
    id: &str,
) -> Result<(EngagementRow, Party), ApiError> {
    let e = store.engagement(id).await?.ok_or_else(not_found)?;
    let party = if account == e.worker_id {
        Party::Worker
    } else if account == e.employer_id {
        Party::Employer
    } else {
        return Err(not_found());
    };
    Ok((e, party))
}

/// Take `action` on engagement `id` as `account`. A wrong party gets 403, a wrong moment 409 with
/// the current status, bad input 400 with the field; nothing is written then. Returns the
/// engagement as it now is.
pub async fn act(
    store: &Store,
    account: &str,
    id: &str,
    action: Action,
    input: &ActionInput,
) -> Result<EngagementRow, ApiError> {
    let (e, party) = as_party(store, account, id).await?;
    let current = Status::parse(&e.status)
        .ok_or_else(|| ApiError::internal(format!("stored engagement status {}", e.status)))?;
    let rule = rule(action);
    if rule.party != party && !either_party(action) {
        let en = format!("the other party takes the action `{}`", action.as_str());
        return Err(forbidden("wrong_party", &format!("「{}」应由另一方操作", action.zh()), &en));
    }
    if !rule.from.contains(&current) {
        let zh = format!("当前状态为「{}」,不能{}", current.name_zh(), action.zh());
        let en =
            format!("the engagement is `{}`; `{}` is not possible now", e.status, action.as_str());
        return Err(conflict("invalid_transition", &zh, &en));
    }
    match (action, rule.to) {
        (Action::Sign, _) => sign(&Move { store, e: &e, party, account, input }).await?,
        (Action::Rate, _) => rate(&Move { store, e: &e, party, account, input }).await?,
        (_, Some(to)) => {
            let (stamp, note) = stamp(store, action, &e, input).await?;
            let at = store.now();
            let step = Transition {
                id: &e.id,
                from: current.as_str(),
                to: to.as_str(),
                actor: account,
                note: note.as_deref(),
                stamp,
                release_place: to.releases_place(),
                completed: to == Status::Confirmed,
                no_show: to == Status::NoShow,
                at: &at,
            };
            if !store.transition(&step).await? {
                return Err(concurrent());
            }
        }
        (_, None) => return Err(ApiError::internal("a status-keeping action without its step")),
    }
    store.engagement(id).await?.ok_or_else(not_found)
}

/// What a status-changing action writes besides the status, and its note.
async fn stamp(
    store: &Store,
    action: Action,
    e: &EngagementRow,
    input: &ActionInput,
) -> Result<(Stamp, Option<String>), ApiError> {
    let reason =
        input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    Ok(match action {
        Action::Accept => (agreement(store, e).await?, None),
        Action::CheckIn => (Stamp::CheckedIn { at: store.now() }, None),
        Action::CheckOut => (Stamp::CheckedOut { at: store.now() }, None),
        Action::Pay => (payment(store, input)?, None),
        Action::Dispute => {
            let reason = reason.ok_or_else(|| {
                ApiError::bad_request(
                    "reason_required",
                    "请说明异议内容",
                    "a dispute needs a reason",
                )
                .with_field("reason")
            })?;
            (Stamp::Disputed { reason: reason.clone() }, Some(reason))
        }
        _ => (Stamp::None, reason),
    })
}

/// 结果确认 by the worker: only a verified worker (双实名); the agreement is drawn up from the
/// post as it stands and frozen with its hash.
async fn agreement(store: &Store, e: &EngagementRow) -> Result<Stamp, ApiError> {
    let worker = store.profile(&e.worker_id).await?;
    if worker.as_ref().is_none_or(|p| p.verification != "verified") {
        return Err(forbidden(
            "worker_unverified",
            "零工实名信息尚未通过审核,不能确认用工",
            "the worker's real-name profile is not verified yet",
        ));
    }
    let job = crate::jobs::load(store, &e.job_id).await?;
    let market =
        store.get_tenant(&job.tenant_code).await?.map_or(job.tenant_code.clone(), |t| t.name);
    let employer_name = store.profile(&e.employer_id).await?.map(|p| p.name).unwrap_or_default();
    let agreement = Agreement {
        engagement_id: e.id.clone(),
        job_id: job.id.clone(),
        market,
        title: job.title.clone(),
        occupation_code: job.occupation_code.clone(),
        employer_name,
        worker_name: worker.map(|p| p.name).unwrap_or_default(),
        work_start: job.work_start.clone(),
        work_end: job.work_end.clone(),
        daily_hours: job.daily_hours,
        address: job.address.clone(),
        wage_cents: job.wage_cents,
        wage_unit: job.wage_unit.clone(),
        settlement: job.settlement.clone(),
        accepted_at: store.now(),
        terms: TERMS.into(),
    };
    let (text, hash) = seal(&agreement);
    Ok(Stamp::Agreement { text, hash })
}

/// The wage paid, checked: a positive amount, a known method, a time not in the future.
fn payment(store: &Store, input: &ActionInput) -> Result<Stamp, ApiError> {
    let cents = input.amount_cents.filter(|a| (1..=100_000_000).contains(a)).ok_or_else(|| {
        invalid(
            "amount_cents",
            "请填写实发工资金额(单位:分)",
            "amount_cents is a positive amount in fen",
        )
    })?;
    let method =
        input.method.as_deref().filter(|m| super::PAYMENT_METHODS.contains(m)).ok_or_else(
            || {
                invalid(
                    "method",
                    "支付方式应为 cash、bank_transfer、wechat、alipay 或 other",
                    "method is cash, bank_transfer, wechat, alipay or other",
                )
            },
        )?;
    let now = store.clock().now();
    let at = match input.paid_at.as_deref() {
        None => now,
        Some(raw) => {
            let at = crate::clock::parse_instant(raw, "paid_at")?;
            if at > now + chrono::Duration::minutes(5) {
                return Err(invalid("paid_at", "发放时间不能晚于现在", "paid_at is in the future"));
            }
            at
        }
    };
    Ok(Stamp::Paid { cents, method: method.to_string(), at: crate::store::stamp(at) })
}

/// One party's action on an engagement that keeps its status (signing, rating).
#[derive(Clone, Copy)]
struct Move<'a> {
    store: &'a Store,
    e: &'a EngagementRow,
    party: Party,
    account: &'a str,
    input: &'a ActionInput,
}

/// One party signs the agreement by its hash (快速签约); it is signed with the second signature.
async fn sign(m: &Move<'_>) -> Result<(), ApiError> {
    let Move { store, e, party, account, input } = *m;
    let hash = input.agreement_hash.as_deref().ok_or_else(|| {
        ApiError::bad_request(
            "agreement_hash_required",
            "请提交所签协议的哈希值",
            "sign with the agreement's hash",
        )
        .with_field("agreement_hash")
    })?;
    if e.agreement_hash.as_deref() != Some(hash) {
        return Err(conflict(
            "agreement_mismatch",
            "所签协议与当前协议不一致",
            "the hash is not the current agreement's",
        )
        .with_field("agreement_hash"));
    }
    match store.sign(&e.id, party == Party::Worker, hash, account, &store.now()).await? {
        Some(_) => Ok(()),
        None => Err(conflict(
            "already_signed",
            "您已签署该协议",
            "you have signed this agreement already",
        )),
    }
}

/// One party rates the other after the work (1–5, an optional comment of at most 200
/// characters), once; a worker's rating feeds their matching figures.
async fn rate(m: &Move<'_>) -> Result<(), ApiError> {
    let Move { store, e, party, account, input } = *m;
    let score = input
        .score
        .filter(|s| (1..=5).contains(s))
        .ok_or_else(|| invalid("score", "评分应为1至5分", "score is 1 to 5"))?;
    let comment = input.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if comment.is_some_and(|c| c.chars().count() > 200) {
        return Err(invalid("comment", "评价内容不超过200字", "comment is at most 200 characters"));
    }
    let (ratee, ratee_is_worker) = match party {
        Party::Worker => (e.employer_id.as_str(), false),
        Party::Employer => (e.worker_id.as_str(), true),
    };
    let at = store.now();
    let rating = Rating {
        engagement: &e.id,
        rater: account,
        ratee,
        score,
        comment,
        ratee_is_worker,
        at: &at,
    };
    if store.rate(&rating).await? {
        Ok(())
    } else {
        Err(conflict("already_rated", "您已评价过", "you have rated this engagement already"))
    }
}
