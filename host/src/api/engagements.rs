//! Applying, offering, confirming, signing, attendance, wage settlement and ratings.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::auth::User;
use super::extract::Json;
use super::jobs::load_job;
use crate::engagements::{self, Action, Agreement, Party};
use crate::error::{ApiError, ErrorBody};
use crate::store::engagements::{Change, EngagementRow, TakeRefused};
use crate::store::jobs::JobRow;

fn engagement_not_found() -> ApiError {
    ApiError::not_found("engagement_not_found", "没有该用工记录", "no such engagement")
}

fn conflict(code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, code, zh, en)
}

fn forbidden(code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, code, zh, en)
}

/// A party as shown to the other: id and real name.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartyView {
    pub account_id: String,
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor: String,
    pub note: Option<String>,
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatingView {
    pub rater: String,
    pub score: i64,
    pub comment: Option<String>,
}

/// An engagement as its parties see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EngagementView {
    pub id: String,
    pub job_id: String,
    pub job_title: String,
    pub tenant: String,
    pub worker: PartyView,
    pub employer: PartyView,
    pub status: String,
    pub status_name: String,
    /// `application`, `offer` or `batch`.
    pub origin: String,
    pub agreement: Option<serde_json::Value>,
    pub agreement_hash: Option<String>,
    /// Whether the stored agreement still has the hash that was signed.
    pub agreement_intact: Option<bool>,
    pub worker_signed_at: Option<String>,
    pub employer_signed_at: Option<String>,
    pub checked_in_at: Option<String>,
    pub checked_out_at: Option<String>,
    pub paid_cents: Option<i64>,
    pub paid_method: Option<String>,
    pub paid_at: Option<String>,
    pub dispute_reason: Option<String>,
    /// The employer's contact number, in clear once the worker has accepted.
    pub contact_phone: Option<String>,
    pub history: Vec<EventView>,
    pub ratings: Vec<RatingView>,
    pub created_at: String,
}

async fn party(state: &AppState, account: &str) -> Result<PartyView, ApiError> {
    let name = state.store.profile(account).await?.map(|p| p.name);
    Ok(PartyView { account_id: account.to_string(), name })
}

async fn view(state: &AppState, e: &EngagementRow) -> Result<EngagementView, ApiError> {
    let job = load_job(state, &e.job_id).await?;
    let agreement =
        e.agreement.as_deref().map(serde_json::from_str).transpose().map_err(ApiError::internal)?;
    let intact = e
        .agreement
        .as_deref()
        .zip(e.agreement_hash.as_deref())
        .map(|(t, h)| engagements::verify(t, h));
    let engaged = !matches!(
        e.status.as_str(),
        "applied" | "offered" | "withdrawn" | "declined" | "turned_down" | "no_show"
    );
    let contact_phone = if engaged {
        Some(state.accounts.keys().decrypt(&job.contact_phone_enc).map_err(ApiError::internal)?)
    } else {
        None
    };
    let history = state
        .store
        .engagement_events(&e.id)
        .await?
        .into_iter()
        .map(|h| EventView {
            from_status: h.from_status,
            to_status: h.to_status,
            actor: h.actor,
            note: h.note,
            at: h.at,
        })
        .collect();
    let ratings = state
        .store
        .engagement_ratings(&e.id)
        .await?
        .into_iter()
        .map(|(rater, score, comment)| RatingView { rater, score, comment })
        .collect();
    Ok(EngagementView {
        id: e.id.clone(),
        job_id: e.job_id.clone(),
        job_title: job.title,
        tenant: e.tenant_code.clone(),
        worker: party(state, &e.worker_id).await?,
        employer: party(state, &e.employer_id).await?,
        status: e.status.clone(),
        status_name: engagements::status_zh(&e.status).to_string(),
        origin: e.origin.clone(),
        agreement,
        agreement_hash: e.agreement_hash.clone(),
        agreement_intact: intact,
        worker_signed_at: e.worker_signed_at.clone(),
        employer_signed_at: e.employer_signed_at.clone(),
        checked_in_at: e.checked_in_at.clone(),
        checked_out_at: e.checked_out_at.clone(),
        paid_cents: e.paid_cents,
        paid_method: e.paid_method.clone(),
        paid_at: e.paid_at.clone(),
        dispute_reason: e.dispute_reason.clone(),
        contact_phone,
        history,
        ratings,
        created_at: e.created_at.clone(),
    })
}

/// A worker must have a real-name profile to be engaged at all.
async fn require_worker_profile(state: &AppState, account: &str) -> Result<(), ApiError> {
    let ok = state.store.account(account).await?.is_some_and(|a| a.kind == "worker")
        && state.store.profile(account).await?.is_some();
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

fn refused(why: TakeRefused) -> ApiError {
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

/// Take a place of `job` for `worker` as `status`, returning the new engagement.
pub async fn take(
    state: &AppState,
    job: &JobRow,
    worker: &str,
    status: &str,
    origin: &str,
    actor: &str,
) -> Result<Result<EngagementRow, TakeRefused>, ApiError> {
    let now = state.store.now();
    let row = EngagementRow {
        id: uuid::Uuid::now_v7().to_string(),
        job_id: job.id.clone(),
        tenant_code: job.tenant_code.clone(),
        worker_id: worker.to_string(),
        employer_id: job.employer_id.clone(),
        status: status.to_string(),
        origin: origin.to_string(),
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
    Ok(state.store.take_place(&row, actor, &now).await?.map(|()| row))
}

/// Apply for a job (在线报名): takes one of its places, first come first served.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/applications", tag = "engagements", params(("id" = String, Path)),
    responses((status = 201, body = EngagementView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody, description = "full, closed, or applied already")), security(("session" = [])))]
pub async fn apply(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<EngagementView>), ApiError> {
    require_worker_profile(&state, &user.account.id).await?;
    let job = load_job(&state, &id).await?;
    let row = take(&state, &job, &user.account.id, "applied", "application", &user.account.id)
        .await?
        .map_err(refused)?;
    Ok((StatusCode::CREATED, Json(view(&state, &row).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferRequest {
    /// The worker's account id (e.g. from the job's recommendations).
    pub worker_id: String,
}

/// The employer offers its job directly to a worker (e.g. a recommended one).
#[utoipa::path(post, path = "/api/v1/jobs/{id}/offers", tag = "engagements", params(("id" = String, Path)), request_body = OfferRequest,
    responses((status = 201, body = EngagementView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)), security(("session" = [])))]
pub async fn offer(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
    Json(req): Json<OfferRequest>,
) -> Result<(StatusCode, Json<EngagementView>), ApiError> {
    let job = load_job(&state, &id).await?;
    if job.employer_id != user.account.id {
        return Err(ApiError::not_found("job_not_found", "没有该招聘信息", "no such job post"));
    }
    require_worker_profile(&state, &req.worker_id).await.map_err(|e| e.with_field("worker_id"))?;
    let row = take(&state, &job, &req.worker_id, "offered", "offer", &user.account.id)
        .await?
        .map_err(refused)?;
    Ok((StatusCode::CREATED, Json(view(&state, &row).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct EngagementList {
    pub engagements: Vec<EngagementView>,
}

/// The applicants and engaged workers of one's own job (another employer's: 404).
#[utoipa::path(get, path = "/api/v1/jobs/{id}/engagements", tag = "engagements", params(("id" = String, Path)),
    responses((status = 200, body = EngagementList), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn job_engagements(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<EngagementList>, ApiError> {
    let job = load_job(&state, &id).await?;
    if job.employer_id != user.account.id {
        return Err(ApiError::not_found("job_not_found", "没有该招聘信息", "no such job post"));
    }
    let mut engagements = Vec::new();
    for e in state.store.job_engagements(&id).await? {
        engagements.push(view(&state, &e).await?);
    }
    Ok(Json(EngagementList { engagements }))
}

/// One's own engagements (as worker or employer), newest first.
#[utoipa::path(get, path = "/api/v1/me/engagements", tag = "engagements", responses((status = 200, body = EngagementList)), security(("session" = [])))]
pub async fn my_engagements(
    State(state): State<AppState>,
    user: User,
) -> Result<Json<EngagementList>, ApiError> {
    let mut engagements = Vec::new();
    for e in state.store.engagements_of(&user.account.id).await? {
        engagements.push(view(&state, &e).await?);
    }
    Ok(Json(EngagementList { engagements }))
}

async fn load_as_party(
    state: &AppState,
    user: &User,
    id: &str,
) -> Result<(EngagementRow, Party), ApiError> {
    let e = state.store.engagement(id).await?.ok_or_else(engagement_not_found)?;
    let me = &user.account.id;
    let party = if *me == e.worker_id {
        Party::Worker
    } else if *me == e.employer_id {
        Party::Employer
    } else {
        return Err(engagement_not_found());
    };
    Ok((e, party))
}

/// One engagement, with its agreement, history and ratings (its parties only).
#[utoipa::path(get, path = "/api/v1/engagements/{id}", tag = "engagements", params(("id" = String, Path)),
    responses((status = 200, body = EngagementView), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn get_engagement(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<EngagementView>, ApiError> {
    let (e, _) = load_as_party(&state, &user, &id).await?;
    Ok(Json(view(&state, &e).await?))
}

/// What an action may carry.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
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
    pub comment: Option<String>,
}

/// Take an action on an engagement: `offer`, `turn-down`, `withdraw`, `decline`, `accept`,
/// `sign`, `no-show`, `check-in`, `check-out`, `pay`, `confirm`, `dispute` or `rate`. A wrong party gets
/// 403, a wrong moment 409 with the current status, and nothing is written.
#[utoipa::path(post, path = "/api/v1/engagements/{id}/{action}", tag = "engagements", params(("id" = String, Path), ("action" = String, Path)),
    request_body = ActionRequest,
    responses((status = 200, body = EngagementView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = [])))]
pub async fn act(
    State(state): State<AppState>,
    user: User,
    Path((id, action)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<EngagementView>, ApiError> {
    let action = Action::parse(&action).ok_or_else(|| {
        ApiError::not_found("action_not_found", "没有这个操作", "unknown action")
            .with_field("action")
    })?;
    let req: ActionRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ActionRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::bad_request("invalid_body", "请求内容格式错误", &e.to_string())
        })?
    };
    let (e, party) = load_as_party(&state, &user, &id).await?;
    let (who, from, to) = engagements::rule(action);
    if who != party && !engagements::either_party(action) {
        let en = format!("the other party takes the action `{}`", action.as_str());
        return Err(forbidden("wrong_party", &format!("「{}」应由另一方操作", action.zh()), &en));
    }
    if !from.contains(&e.status.as_str()) {
        let zh = format!("当前状态为「{}」,不能{}", engagements::status_zh(&e.status), action.zh());
        return Err(conflict(
            "invalid_transition",
            &zh,
            &format!("the engagement is `{}`; `{}` is not possible now", e.status, action.as_str()),
        ));
    }
    let me = user.account.id.as_str();
    match action {
        Action::Accept => accept(&state, &e, me).await?,
        Action::Sign => sign(&state, &e, party, me, &req).await?,
        Action::Pay => pay(&state, &e, me, &req).await?,
        Action::Rate => rate(&state, &e, party, me, &req).await?,
        _ => {
            let to = to.expect("every other action changes the status");
            let now = state.store.now();
            let reason = req.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
            if action == Action::Dispute && reason.is_none() {
                return Err(ApiError::bad_request(
                    "reason_required",
                    "请说明异议内容",
                    "a dispute needs a reason",
                )
                .with_field("reason"));
            }
            let stamp: &[(&'static str, Option<&str>)] = match action {
                Action::CheckIn => &[("checked_in_at", Some(now.as_str()))],
                Action::CheckOut => &[("checked_out_at", Some(now.as_str()))],
                Action::Dispute => &[("dispute_reason", reason)],
                _ => &[],
            };
            apply_change(
                &state,
                &Change {
                    id: &e.id,
                    from: &e.status,
                    to,
                    actor: me,
                    note: reason,
                    set: stamp,
                    paid_cents: None,
                },
            )
            .await?;
        }
    }
    let e = state.store.engagement(&id).await?.ok_or_else(engagement_not_found)?;
    Ok(Json(view(&state, &e).await?))
}

async fn apply_change(state: &AppState, change: &Change<'_>) -> Result<(), ApiError> {
    if state.store.change(change).await? {
        Ok(())
    } else {
        Err(conflict(
            "concurrent_change",
            "状态已被另一方更改,请刷新后重试",
            "the engagement changed meanwhile; reload and retry",
        ))
    }
}

/// 结果确认 by the worker: only a verified worker (双实名), and the agreement is drawn up.
async fn accept(state: &AppState, e: &EngagementRow, me: &str) -> Result<(), ApiError> {
    let worker = state.store.profile(&e.worker_id).await?;
    if worker.as_ref().is_none_or(|p| p.verification != "verified") {
        return Err(forbidden(
            "worker_unverified",
            "零工实名信息尚未通过审核,不能确认用工",
            "the worker's real-name profile is not verified yet",
        ));
    }
    let job = load_job(state, &e.job_id).await?;
    let market =
        state.store.get_tenant(&job.tenant_code).await?.map_or(job.tenant_code.clone(), |t| t.name);
    let employer_name =
        state.store.profile(&e.employer_id).await?.map(|p| p.name).unwrap_or_default();
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
        accepted_at: state.store.now(),
        terms: "双方按本协议约定的岗位、工期、工时、工资标准和结算方式履行;用工方按时足额支付工资,不得向劳动者收取任何费用。".into(),
    };
    let (text, hash) = engagements::seal(&agreement);
    if state.store.accept(&e.id, &text, &hash, me).await? {
        Ok(())
    } else {
        Err(conflict(
            "concurrent_change",
            "状态已被更改,请刷新后重试",
            "the engagement changed meanwhile",
        ))
    }
}

async fn sign(
    state: &AppState,
    e: &EngagementRow,
    party: Party,
    me: &str,
    req: &ActionRequest,
) -> Result<(), ApiError> {
    let hash = req.agreement_hash.as_deref().ok_or_else(|| {
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
    match state.store.sign(&e.id, party == Party::Worker, hash, me).await? {
        Some(_) => Ok(()),
        None => Err(conflict(
            "already_signed",
            "您已签署该协议",
            "you have signed this agreement already",
        )),
    }
}

async fn pay(
    state: &AppState,
    e: &EngagementRow,
    me: &str,
    req: &ActionRequest,
) -> Result<(), ApiError> {
    let amount = req.amount_cents.filter(|a| (1..=100_000_000).contains(a)).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_field",
            "请填写实发工资金额(单位:分)",
            "amount_cents is a positive amount in fen",
        )
        .with_field("amount_cents")
    })?;
    let method =
        req.method.as_deref().filter(|m| engagements::PAYMENT_METHODS.contains(m)).ok_or_else(
            || {
                ApiError::bad_request(
                    "invalid_field",
                    "支付方式应为 cash、bank_transfer、wechat、alipay 或 other",
                    "method is cash, bank_transfer, wechat, alipay or other",
                )
                .with_field("method")
            },
        )?;
    let paid_at = match req.paid_at.as_deref() {
        None => state.store.now(),
        Some(raw) => {
            let at = crate::clock::parse_instant(raw, "paid_at")?;
            if at > state.store.clock().now() + chrono::Duration::minutes(5) {
                return Err(ApiError::bad_request(
                    "invalid_field",
                    "发放时间不能晚于现在",
                    "paid_at is in the future",
                )
                .with_field("paid_at"));
            }
            crate::store::stamp(at)
        }
    };
    let set = [("paid_method", Some(method)), ("paid_at", Some(paid_at.as_str()))];
    apply_change(
        state,
        &Change {
            id: &e.id,
            from: &e.status,
            to: "paid",
            actor: me,
            note: None,
            set: &set,
            paid_cents: Some(amount),
        },
    )
    .await
}

async fn rate(
    state: &AppState,
    e: &EngagementRow,
    party: Party,
    me: &str,
    req: &ActionRequest,
) -> Result<(), ApiError> {
    let score = req.score.filter(|s| (1..=5).contains(s)).ok_or_else(|| {
        ApiError::bad_request("invalid_field", "评分应为1至5分", "score is 1 to 5")
            .with_field("score")
    })?;
    let comment = req.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if comment.is_some_and(|c| c.chars().count() > 200) {
        return Err(ApiError::bad_request(
            "invalid_field",
            "评价内容不超过200字",
            "comment is at most 200 characters",
        )
        .with_field("comment"));
    }
    let (ratee, ratee_is_worker) = match party {
        Party::Worker => (&e.employer_id, false),
        Party::Employer => (&e.worker_id, true),
    };
    if state.store.rate(&e.id, me, ratee, score, comment, ratee_is_worker).await? {
        Ok(())
    } else {
        Err(conflict("already_rated", "您已评价过", "you have rated this engagement already"))
    }
}
