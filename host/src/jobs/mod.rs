//! Job posts with the standard information of plan §6, their review, and the city feed.
//!
//! - A post is checked here for well-formedness (every field named in errors), then reviewed by
//!   the tenant's `posting-review` plugin: accepted posts open at once, rejected ones keep the
//!   plugin's reasons for the employer, held ones wait in the tenant's staff queue.
//! - Only verified employers post (双实名, plan §9).
//! - Posts expire when hiring closes: the feed never shows them, and a sweep marks them expired.
//! - [`feed`] aggregates every market's open posts into the city feed and each market's feed.

pub mod check_ins;
pub mod feed;
pub mod occupations;
pub mod qr;
pub mod terms;

use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::identity::is_mobile;
use crate::identity::pii::{PiiKeys, mask_phone};
use crate::plugins::bindings::posting_review::gigmarket::plugins::review_types as review;
use crate::plugins::slots::PostingReviewWorld;
use crate::rules::Rules;
use crate::store::Store;
use crate::store::accounts::AccountRow;
use crate::store::audit::AuditEvent;
use crate::store::jobs::JobRow;
use crate::tenants::GeoPoint;

/// Average working days in a month (劳社部发〔2008〕3号): how a monthly wage becomes a daily one.
const WORKING_DAYS_PER_MONTH: f64 = 21.75;

/// What a wage is paid for (stored as the snake_case name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WageUnit {
    /// Per hour worked.
    Hour,
    /// Per day worked.
    Day,
    /// Per piece of work done (计件); such posts have no daily wage for filters and matching.
    Piece,
    /// Per month; a daily figure is the monthly one divided by 21.75 working days.
    Month,
}

/// When the wage is paid out (结算方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    /// 日结
    Daily,
    /// 周结
    Weekly,
    /// 月结
    Monthly,
    /// 完工结
    OnCompletion,
}

impl WageUnit {
    /// The stored and serialised name (`hour`, `day`, `piece`, `month`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hour => "hour",
            Self::Day => "day",
            Self::Piece => "piece",
            Self::Month => "month",
        }
    }
}

impl Settlement {
    /// The stored and serialised name (`daily`, `weekly`, `monthly`, `on_completion`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::OnCompletion => "on_completion",
        }
    }
}

/// A post as the employer submits it (`POST /api/v1/jobs`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobInput {
    /// The market to publish in (its code).
    pub tenant: String,
    /// 2 to 60 characters (trimmed).
    pub title: String,
    /// What the work is, at most 2000 characters (trimmed); may be empty.
    pub description: String,
    /// 职业分类大典 code from `GET /api/v1/occupations`.
    pub occupation_code: String,
    /// How many workers are wanted, 1 to 1000.
    pub headcount: u32,
    /// County-level division code of the work place (e.g. `410225` for 兰考县).
    pub district: String,
    /// Where the work is, 4 to 200 characters.
    pub address: String,
    /// The work place's coordinates (WGS-84); must lie in Kaifeng.
    pub location: GeoPoint,
    /// `YYYY-MM-DD`
    pub work_start: String,
    /// `YYYY-MM-DD`
    pub work_end: String,
    /// Working hours per day: more than 0, at most 24.
    pub daily_hours: f64,
    /// Fen (1/100 yuan) per `wage_unit`.
    pub wage_cents: i64,
    /// What `wage_cents` is paid for.
    pub wage_unit: WageUnit,
    /// When the wage is paid out.
    pub settlement: Settlement,
    /// When hiring closes, RFC 3339 (e.g. `2026-12-01T18:00:00+08:00`).
    pub closes_at: String,
    /// The contact person, 2 to 30 characters.
    pub contact_name: String,
    /// Mobile (`1[3-9]` + 9 digits) or landline (`0371-23220001`).
    pub contact_phone: String,
    /// Requirements in words (at most 20, each 1 to 100 characters).
    #[serde(default)]
    pub requirements: Vec<String>,
    /// Certificates workers must hold (e.g. 健康证, 特种作业操作证).
    #[serde(default)]
    pub qualifications: Vec<String>,
    /// The youngest age accepted, if limited (the review judges age limits).
    pub min_age: Option<u8>,
    /// The oldest age accepted, if limited; not below `min_age`.
    pub max_age: Option<u8>,
    /// Skill level asked for: 0 none, 1 五级/初级工 … 5 一级/高级技师.
    pub skill_level: Option<u8>,
    /// Whether workers are asked for any fee or deposit (the review rejects such posts).
    #[serde(default)]
    pub charges_worker_fee: bool,
}

/// The free-form part of a post, stored as JSON.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct JobDetails {
    /// Requirements in words.
    pub requirements: Vec<String>,
    /// Certificates workers must hold (e.g. 健康证).
    pub qualifications: Vec<String>,
    /// The youngest age accepted, if limited.
    pub min_age: Option<u8>,
    /// The oldest age accepted, if limited.
    pub max_age: Option<u8>,
    /// Skill level asked for: 0 none, 1 五级/初级工 … 5 一级/高级技师; `None` when not said.
    pub skill_level: Option<u8>,
    /// Whether workers are asked for any fee or deposit.
    pub charges_worker_fee: bool,
}

/// A post that passed the host's checks.
#[derive(Debug, Clone)]
pub struct CheckedJob {
    /// The input as submitted (trimmed when stored).
    pub input: JobInput,
    /// The first day of work.
    pub work_start: NaiveDate,
    /// The last day of work (not before `work_start`).
    pub work_end: NaiveDate,
    /// When hiring closes (in the future when checked).
    pub closes_at: DateTime<Utc>,
    /// The occupation's Chinese name, from [`occupations::OCCUPATIONS`].
    pub occupation_name: &'static str,
    /// When it was checked: the post's creation time.
    pub checked_at: DateTime<Utc>,
}

fn field_err(field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request("invalid_field", zh, en).with_field(field)
}

fn text(
    value: &str,
    field: &str,
    range: std::ops::RangeInclusive<usize>,
    zh: &str,
) -> Result<(), ApiError> {
    let n = value.trim().chars().count();
    if range.contains(&n) && !value.chars().any(|c| c.is_control() && c != '\n') {
        return Ok(());
    }
    let (lo, hi) = (range.start(), range.end());
    Err(field_err(
        field,
        &format!("{zh}应为{lo}至{hi}个字"),
        &format!("{field} must be {lo} to {hi} characters"),
    ))
}

/// A landline such as `0371-23220001` or `037123220001`.
fn is_landline(phone: &str) -> bool {
    let digits: String = phone.chars().filter(|c| *c != '-').collect();
    phone.starts_with('0')
        && (10..=12).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Check a post at `now`.
pub fn check(input: JobInput, now: DateTime<Utc>) -> Result<CheckedJob, ApiError> {
    text(&input.title, "title", 2..=60, "标题")?;
    text(&input.description, "description", 0..=2000, "描述")?;
    let occupation = occupations::find(&input.occupation_code).ok_or_else(|| {
        field_err(
            "occupation_code",
            "未知的职业代码,请从职业列表中选择",
            "unknown occupation code; pick one from GET /api/v1/occupations",
        )
    })?;
    if !(1..=1000).contains(&input.headcount) {
        return Err(field_err("headcount", "招聘人数应为1至1000人", "headcount must be 1 to 1000"));
    }
    check_place(&input)?;
    let work_start = crate::clock::parse_day(&input.work_start, "work_start")?;
    let work_end = crate::clock::parse_day(&input.work_end, "work_end")?;
    if work_end < work_start {
        return Err(field_err(
            "work_end",
            "结束日期不能早于开始日期",
            "work_end is before work_start",
        ));
    }
    if !(input.daily_hours > 0.0 && input.daily_hours <= 24.0) {
        return Err(field_err(
            "daily_hours",
            "每日工作时长应在0至24小时之间",
            "daily_hours must be more than 0 and at most 24",
        ));
    }
    if !(1..=100_000_000).contains(&input.wage_cents) {
        return Err(field_err(
            "wage_cents",
            "薪资应为正数(单位:分)",
            "wage_cents is a positive amount in fen",
        ));
    }
    let closes_at = crate::clock::parse_instant(&input.closes_at, "closes_at")?;
    if closes_at <= now {
        return Err(field_err("closes_at", "报名截止时间已过", "closes_at is in the past"));
    }
    text(&input.contact_name, "contact_name", 2..=30, "联系人")?;
    if !is_mobile(&input.contact_phone) && !is_landline(&input.contact_phone) {
        return Err(field_err(
            "contact_phone",
            "联系电话应为手机号或带区号的座机号",
            "contact_phone must be a mobile number or a landline with area code",
        ));
    }
    check_lists(&input)?;
    Ok(CheckedJob {
        input,
        work_start,
        work_end,
        closes_at,
        occupation_name: occupation.name,
        checked_at: now,
    })
}

fn check_place(input: &JobInput) -> Result<(), ApiError> {
    let district = crate::regions::find(&input.district).filter(|r| {
        r.code != crate::regions::CITY_CODE && r.status != crate::regions::RegionStatus::Retired
    });
    if district.is_none() {
        return Err(field_err(
            "district",
            "区县代码应为开封市现行的县级行政区划代码,如 410225(兰考县)",
            "district must be a current county-level code of Kaifeng, e.g. 410225",
        ));
    }
    text(&input.address, "address", 4..=200, "工作地址")?;
    if !crate::regions::in_kaifeng(&input.location) {
        return Err(field_err(
            "location",
            "工作地点坐标不在开封市范围内",
            "location is not in Kaifeng",
        ));
    }
    Ok(())
}

fn check_lists(input: &JobInput) -> Result<(), ApiError> {
    for (field, list) in
        [("requirements", &input.requirements), ("qualifications", &input.qualifications)]
    {
        if list.len() > 20 || list.iter().any(|s| s.trim().is_empty() || s.chars().count() > 100) {
            return Err(field_err(
                field,
                "最多20条,每条1至100个字",
                &format!("{field}: at most 20 items of 1 to 100 characters"),
            ));
        }
    }
    if input.skill_level.is_some_and(|l| l > 5) {
        return Err(field_err(
            "skill_level",
            "技能等级应为0(无)到5(一级/高级技师)",
            "skill_level is 0 (none) to 5 (一级/高级技师)",
        ));
    }
    if let (Some(lo), Some(hi)) = (input.min_age, input.max_age)
        && lo > hi
    {
        return Err(field_err("max_age", "最高年龄不能低于最低年龄", "max_age is below min_age"));
    }
    Ok(())
}

/// The wage in fen per day, for filters and matching; `None` for piece rates.
pub fn wage_per_day(cents: i64, unit: WageUnit, daily_hours: f64) -> Option<i64> {
    match unit {
        WageUnit::Hour => Some((cents as f64 * daily_hours).round() as i64),
        WageUnit::Day => Some(cents),
        WageUnit::Month => Some((cents as f64 / WORKING_DAYS_PER_MONTH).round() as i64),
        WageUnit::Piece => None,
    }
}

/// Great-circle distance in kilometres.
pub fn distance_km(a: &GeoPoint, b: &GeoPoint) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let (dlat, dlon) = (la2 - la1, (b.lon - a.lon).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().asin()
}

/// What the posting-review plugin sees.
pub fn review_request(
    job: &CheckedJob,
    today: NaiveDate,
    employer_verified: bool,
    recent_postings: u32,
) -> review::ReviewRequest {
    let i = &job.input;
    let district =
        crate::regions::find(&i.district).map_or(i.district.clone(), |r| r.name.to_string());
    review::ReviewRequest {
        today: today.into(),
        posting: review::Posting {
            title: i.title.trim().to_string(),
            description: i.description.trim().to_string(),
            occupation_code: i.occupation_code.clone(),
            occupation_name: job.occupation_name.to_string(),
            headcount: i.headcount,
            wage_cents: i.wage_cents,
            wage_unit: match i.wage_unit {
                WageUnit::Hour => review::WageUnit::Hour,
                WageUnit::Day => review::WageUnit::Day,
                WageUnit::Piece => review::WageUnit::Piece,
                WageUnit::Month => review::WageUnit::Month,
            },
            settlement: match i.settlement {
                Settlement::Daily => review::Settlement::Daily,
                Settlement::Weekly => review::Settlement::Weekly,
                Settlement::Monthly => review::Settlement::Monthly,
                Settlement::OnCompletion => review::Settlement::OnCompletion,
            },
            daily_hours: i.daily_hours,
            work_start: job.work_start.into(),
            work_end: job.work_end.into(),
            district,
            address: i.address.trim().to_string(),
            min_age: i.min_age,
            max_age: i.max_age,
            requirements: i.requirements.clone(),
            qualifications: i.qualifications.clone(),
            charges_worker_fee: i.charges_worker_fee,
            employer_verified,
            employer_recent_postings: recent_postings,
        },
    }
}

/// The stored status a review decision leads to.
pub fn status_after(decision: review::Decision) -> &'static str {
    match decision {
        review::Decision::Accept => "open",
        review::Decision::Reject => "rejected",
        review::Decision::Hold => "held",
    }
}

/// One reason, as stored and shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReasonView {
    /// The reason's stable code (e.g. `wage.below-minimum`).
    pub code: String,
    /// The reason in words (Chinese from a plugin; the staff's own words for staff).
    pub message: String,
}

/// A post as shown. The contact phone is masked except to the post's employer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobView {
    /// The post as stored (its public fields).
    #[serde(flatten)]
    pub post: JobRow,
    /// The occupation's Chinese name (empty for a code no longer in the table).
    pub occupation_name: String,
    /// Places still open.
    pub open_places: i64,
    /// The name of the work place's county-level division, e.g. 兰考县.
    pub district_name: String,
    /// The work place's coordinates.
    pub location: GeoPoint,
    /// The contact number: in clear for the post's employer (and for landlines), else masked
    /// (`138****5678`).
    pub contact_phone: String,
    /// Requirements, qualifications, age limits and skill level.
    pub details: JobDetails,
    /// The review's reasons (the plugin's, or the staff's).
    pub review_reasons: Vec<ReasonView>,
    /// Kilometres from the point searched around, when the feed was searched by distance.
    pub distance_km: Option<f64>,
}

impl JobView {
    /// The view of a stored post; `unmasked` shows the contact mobile in clear (the post's employer).
    pub fn new(row: &JobRow, keys: &PiiKeys, unmasked: bool) -> Result<JobView, ApiError> {
        let phone = keys.decrypt(&row.contact_phone_enc).map_err(ApiError::internal)?;
        let phone = if unmasked || !is_mobile(&phone) { phone } else { mask_phone(&phone) };
        Ok(JobView {
            occupation_name: occupations::find(&row.occupation_code)
                .map_or_else(String::new, |o| o.name.to_string()),
            open_places: row.headcount - row.taken,
            district_name: crate::regions::find(&row.district)
                .map_or_else(String::new, |r| r.name.to_string()),
            location: GeoPoint { lon: row.lon, lat: row.lat },
            contact_phone: phone,
            details: serde_json::from_str(&row.details).map_err(ApiError::internal)?,
            review_reasons: serde_json::from_str(&row.review_reasons)
                .map_err(ApiError::internal)?,
            distance_km: None,
            post: row.clone(),
        })
    }
}

/// A market's staff publish (`approve`) or reject (with a reason) a post its review held; the
/// decision and its audit entry are one transaction. Returns the post as it now is.
pub async fn review_held(
    store: &Store,
    tenant: &str,
    id: &str,
    approve: bool,
    reason: Option<&str>,
    actor: &str,
) -> Result<JobRow, ApiError> {
    let row = store.job(id).await?.filter(|j| j.tenant_code == tenant).ok_or_else(not_found)?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(ApiError::bad_request(
            "reason_required",
            "驳回时须说明原因",
            "a rejection needs a reason",
        )
        .with_field("reason"));
    }
    let mut reasons: Vec<ReasonView> =
        serde_json::from_str(&row.review_reasons).map_err(ApiError::internal)?;
    let (status, code) =
        if approve { ("open", "staff.approved") } else { ("rejected", "staff.rejected") };
    let message = reason.unwrap_or("工作人员审核通过").to_string();
    reasons.insert(0, ReasonView { code: code.into(), message });
    let stored = serde_json::to_string(&reasons).map_err(ApiError::internal)?;
    let detail = serde_json::json!({"decision": status, "reason": reason});
    let event = AuditEvent {
        actor,
        tenant_code: Some(tenant),
        action: "job.review",
        target: Some(id),
        detail,
    };
    let mut tx = store.begin().await?;
    if !store.decide_held_job(&mut tx, id, tenant, status, &stored, actor).await? {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "job_not_held",
            &format!("该招聘信息状态为 {},无需审核", row.status),
            &format!("the post is {}, not held", row.status),
        ));
    }
    store.audit_in(&mut tx, &event).await?;
    tx.commit().await?;
    load(store, id).await
}

/// No such post (or not one the caller may know of).
pub fn not_found() -> ApiError {
    ApiError::not_found("job_not_found", "没有该招聘信息", "no such job post")
}

/// The post with this id, or [`not_found`].
pub async fn load(store: &Store, id: &str) -> Result<JobRow, ApiError> {
    store.job(id).await?.ok_or_else(not_found)
}

/// A post as `viewer` may see it: open posts are public, any other only to its employer (to
/// everyone else it does not exist). The flag says whether the viewer is the post's employer.
pub async fn shown(
    store: &Store,
    id: &str,
    viewer: Option<&str>,
) -> Result<(JobRow, bool), ApiError> {
    let row = load(store, id).await?;
    let owner = viewer == Some(row.employer_id.as_str());
    if row.status != "open" && !owner {
        return Err(not_found());
    }
    Ok((row, owner))
}

/// The post with this id if `employer` posted it; anyone else's is [`not_found`] (never
/// forbidden: another employer's post must not be told apart from none).
pub async fn load_own(store: &Store, employer: &str, id: &str) -> Result<JobRow, ApiError> {
    load(store, id)
        .await
        .and_then(|row| if row.employer_id == employer { Ok(row) } else { Err(not_found()) })
}

/// An employer's own posts as they see them, newest first, with their review status and reasons
/// (contacts in clear: they are the employer's own).
pub async fn employer_posts(
    store: &Store,
    keys: &PiiKeys,
    employer: &str,
) -> Result<Vec<JobView>, ApiError> {
    let rows = store.employer_jobs(employer).await?;
    rows.iter().map(|r| JobView::new(r, keys, true)).collect()
}

/// The employer stops hiring on its own post (open or held); returns the post as it now is.
pub async fn close(store: &Store, employer: &str, id: &str) -> Result<JobRow, ApiError> {
    let row = load_own(store, employer, id).await?;
    if !store.close_job(id, employer).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "job_not_open",
            &format!("该招聘信息状态为 {},不能关闭", row.status),
            &format!("the post is {}, it cannot be closed", row.status),
        ));
    }
    load(store, id).await
}

/// The row to store for a checked post.
pub fn new_row(
    job: &CheckedJob,
    id: String,
    employer: &str,
    keys: &PiiKeys,
    status: &str,
    decision: Option<String>,
    reasons: &[ReasonView],
) -> JobRow {
    let i = &job.input;
    let details = JobDetails {
        requirements: i.requirements.clone(),
        qualifications: i.qualifications.clone(),
        min_age: i.min_age,
        max_age: i.max_age,
        skill_level: i.skill_level,
        charges_worker_fee: i.charges_worker_fee,
    };
    let now = crate::store::stamp(job.checked_at);
    JobRow {
        id,
        tenant_code: i.tenant.clone(),
        employer_id: employer.to_string(),
        title: i.title.trim().to_string(),
        description: i.description.trim().to_string(),
        occupation_code: i.occupation_code.clone(),
        headcount: i64::from(i.headcount),
        taken: 0,
        district: i.district.clone(),
        address: i.address.trim().to_string(),
        lon: i.location.lon,
        lat: i.location.lat,
        work_start: job.work_start.to_string(),
        work_end: job.work_end.to_string(),
        daily_hours: i.daily_hours,
        wage_cents: i.wage_cents,
        wage_unit: i.wage_unit.as_str().to_string(),
        wage_cents_per_day: wage_per_day(i.wage_cents, i.wage_unit, i.daily_hours),
        settlement: i.settlement.as_str().to_string(),
        closes_at: crate::store::stamp(job.closes_at),
        contact_name: i.contact_name.trim().to_string(),
        contact_phone_enc: keys.encrypt(i.contact_phone.trim()),
        details: serde_json::to_string(&details).unwrap_or_else(|_| "{}".into()),
        status: status.to_string(),
        review_decision: decision,
        review_reasons: serde_json::to_string(reasons).unwrap_or_else(|_| "[]".into()),
        reviewed_by: None,
        created_at: now.clone(),
        updated_at: now,
    }
}

/// The refusal of a post (or an employer's page) to an account that is not an employer.
pub fn employers_only() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "employers_only",
        "仅用工单位或个人雇主可以发布招聘信息",
        "only employers publish jobs",
    )
}

/// Only a verified employer publishes (双实名, plan §9).
async fn require_verified_employer(store: &Store, account: &AccountRow) -> Result<(), ApiError> {
    if account.kind != "employer" {
        return Err(employers_only());
    }
    let verified = store.profile(&account.id).await?.is_some_and(|p| p.verification == "verified");
    if !verified {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "employer_unverified",
            "用工方实名信息尚未通过审核,不能发布招聘信息",
            "the employer's real-name profile is not verified yet",
        ));
    }
    Ok(())
}

/// Check, review and store a post by `employer`: the one way a post enters the platform (the
/// API and the demo both come here).
pub async fn publish(
    store: &Store,
    rules: &Rules,
    keys: &PiiKeys,
    employer: &AccountRow,
    input: JobInput,
) -> Result<JobRow, ApiError> {
    require_verified_employer(store, employer).await?;
    let tenant = store.get_tenant(&input.tenant).await?.ok_or_else(|| {
        ApiError::not_found(
            "tenant_not_found",
            &format!("没有编码为 `{}` 的市场", input.tenant),
            "no such market",
        )
        .with_field("tenant")
    })?;
    tenant.ensure_active()?;
    let now = store.clock().now();
    let checked = check(input, now)?;
    let since = crate::store::stamp(now - chrono::Duration::days(30));
    let recent = store.count_employer_jobs_since(&employer.id, &since).await?;
    let request = review_request(
        &checked,
        crate::clock::china_date(now),
        true,
        recent.clamp(0, i64::from(u32::MAX)) as u32,
    );
    let decided = rules.call::<PostingReviewWorld>(&tenant, request, "job-post").await?;
    let reasons: Vec<ReasonView> = decided
        .output
        .reasons
        .iter()
        .map(|r| ReasonView { code: r.code.clone(), message: r.message.clone() })
        .collect();
    let row = new_row(
        &checked,
        uuid::Uuid::now_v7().to_string(),
        &employer.id,
        keys,
        status_after(decided.output.decision),
        decided.decision_id,
        &reasons,
    );
    store.insert_job(&row, &terms::index_terms(&search_text(&checked))).await?;
    Ok(row)
}

/// The words a post is found by: its title, occupation, description and address.
pub fn search_text(job: &CheckedJob) -> String {
    let i = &job.input;
    format!("{} {} {} {}", i.title, job.occupation_name, i.description, i.address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wages_normalise_to_a_day() {
        assert_eq!(wage_per_day(2500, WageUnit::Hour, 8.0), Some(20_000));
        assert_eq!(wage_per_day(435_000, WageUnit::Month, 8.0), Some(20_000));
        assert_eq!(wage_per_day(300, WageUnit::Piece, 8.0), None);
    }

    #[test]
    fn distances_are_in_kilometres() {
        let city = GeoPoint { lon: 114.35, lat: 34.79 };
        let lankao = GeoPoint { lon: 114.82, lat: 34.82 };
        let d = distance_km(&city, &lankao);
        assert!((42.0..44.0).contains(&d), "{d}");
        assert_eq!(distance_km(&city, &city), 0.0);
    }

    #[test]
    fn landlines_and_mobiles_are_contact_numbers() {
        assert!(is_landline("0371-23220001"));
        assert!(!is_landline("12345"));
    }
}
