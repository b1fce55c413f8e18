//! Skills services (技能提升, plan §4): training sessions a market's staff hold, workers
//! finding and enrolling in them city-wide, attendance and completion, and the skill records
//! completion issues (with the certified level that matching then uses).
//!
//! - Kinds: `guidance` 职业指导 (one-to-one guidance is a `guidance` session of capacity 1),
//!   `entrepreneurship` 创业培训, `skills` 技能培训, `safety` 安全培训.
//! - A session is `open` or `cancelled`. Places are taken by a conditional UPDATE
//!   (`enrolled < capacity`) in the enrolment's transaction ([`enrol`]), so capacity is never
//!   exceeded however many workers enrol at once.
//! - Enrolment statuses and who moves them: [`enrol::Status`].
//! - A completion issues a skill record ([`skills`]); a certificate (职业技能等级证书) on it
//!   raises the worker's level for that occupation in matching (`worker_features.certified_levels`).
//! - [`counts`] gives the period figures per market.

pub mod enrol;
pub mod skills;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::clock;
use crate::error::ApiError;
use crate::jobs::occupations;
use crate::store::Store;
use crate::store::audit::AuditEvent;
use crate::store::trainings::{CountRow, Find, TrainingRow};
use crate::tenants::Tenant;

pub use enrol::{Status, enrol, withdraw};

/// What a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Vocational guidance (职业指导); of capacity 1 it is one-to-one guidance.
    Guidance,
    /// Entrepreneurship training (创业培训).
    Entrepreneurship,
    /// Skills training (技能培训); the kind that may end with a skill-level certificate.
    Skills,
    /// Safety training (安全培训).
    Safety,
}

impl Kind {
    /// Every kind, in the order of the enum.
    pub const ALL: [Kind; 4] = [Kind::Guidance, Kind::Entrepreneurship, Kind::Skills, Kind::Safety];

    /// As the API and the database spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Guidance => "guidance",
            Kind::Entrepreneurship => "entrepreneurship",
            Kind::Skills => "skills",
            Kind::Safety => "safety",
        }
    }

    /// Its Chinese name (职业指导, …).
    pub fn name_zh(self) -> &'static str {
        match self {
            Kind::Guidance => "职业指导",
            Kind::Entrepreneurship => "创业培训",
            Kind::Skills => "技能培训",
            Kind::Safety => "安全培训",
        }
    }

    /// The kind spelt `s`; `None` for anything else.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The most places a session may have.
pub const MAX_CAPACITY: i64 = 500;
/// How long a title may be, in characters.
pub const TITLE_CHARS: usize = 60;
/// How long a place may be.
pub const PLACE_CHARS: usize = 100;
/// How long a provider's name may be.
pub const PROVIDER_CHARS: usize = 60;
/// How long a description may be.
pub const DESCRIPTION_CHARS: usize = 2000;
/// The most a session may cost, in fen (¥100,000).
pub const MAX_COST_CENTS: i64 = 10_000_000;

/// A new session as staff send it (checked by [`create`]).
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTraining {
    /// `guidance`, `entrepreneurship`, `skills` or `safety`.
    pub kind: String,
    /// 1–60 characters.
    pub title: String,
    /// A code of `GET /api/v1/occupations`.
    pub occupation_code: String,
    /// The first day, `YYYY-MM-DD` (China date), not before today.
    pub starts_on: String,
    /// The last day, not before `starts_on`.
    pub ends_on: String,
    /// Where, 1–100 characters.
    pub place: String,
    /// 1–500 places.
    pub capacity: i64,
    /// What it costs a worker, in fen; 0 (the default) = free.
    #[serde(default)]
    pub cost_cents: i64,
    /// The agency that gives it (1–60 characters); absent or empty: the market itself.
    #[serde(default)]
    pub provider: Option<String>,
    /// What it covers, up to 2000 characters.
    #[serde(default)]
    pub description: String,
}

/// A session as workers and staff see it: the stored row and what is derived from it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingView {
    /// The session as stored.
    #[serde(flatten)]
    pub row: TrainingRow,
    /// The kind in Chinese.
    pub kind_name: &'static str,
    /// The occupation's name.
    pub occupation_name: String,
    /// The market's name.
    pub tenant_name: String,
    /// Who gives it: the agency, or the market's own name.
    pub provider_name: String,
    /// Places not held yet.
    pub places_left: i64,
    /// Costs nothing.
    pub free: bool,
}

fn invalid(code: &'static str, field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request(code, zh, en).with_field(field)
}

/// `training_not_found` (404).
pub fn not_found() -> ApiError {
    ApiError::not_found("training_not_found", "没有找到该培训", "no such training session")
        .with_field("id")
}

/// The kind spelt `raw`, or `invalid_kind` (400, field `kind`).
pub fn parse_kind(raw: &str) -> Result<Kind, ApiError> {
    Kind::parse(raw).ok_or_else(|| {
        invalid(
            "invalid_kind",
            "kind",
            "培训类型无效,应为 guidance(职业指导)、entrepreneurship(创业培训)、skills(技能培训)或 safety(安全培训)",
            "kind must be guidance, entrepreneurship, skills or safety",
        )
    })
}

/// A known occupation code, or `invalid_occupation` (400) naming `field`.
pub fn check_occupation(raw: &str, field: &str) -> Result<String, ApiError> {
    let code = raw.trim();
    occupations::find(code).map(|o| o.code.to_string()).ok_or_else(|| {
        invalid(
            "invalid_occupation",
            field,
            "职业编码不在职业分类大典常用职业表中",
            "occupation_code is not a known occupation (GET /api/v1/occupations)",
        )
    })
}

fn text(raw: &str, field: &str, max: usize, zh: &str) -> Result<String, ApiError> {
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 || n > max {
        let zh = format!("请填写{zh}(1至{max}字)");
        let en = format!("{field} must be 1 to {max} characters");
        return Err(ApiError::with_message(
            StatusCode::BAD_REQUEST,
            "invalid_field",
            crate::error::bilingual(&zh, &en),
        )
        .with_field(field));
    }
    Ok(t.to_string())
}

/// Check a new session for `tenant` on `today`: every field, in form order; the first error
/// names its field. Returns the row to store.
pub fn check(
    tenant: &Tenant,
    input: &NewTraining,
    today: NaiveDate,
    actor: &str,
    now: &str,
) -> Result<TrainingRow, ApiError> {
    let kind = parse_kind(input.kind.trim())?;
    let title = text(&input.title, "title", TITLE_CHARS, "培训名称")?;
    let occupation = check_occupation(&input.occupation_code, "occupation_code")?;
    let starts = clock::parse_day(input.starts_on.trim(), "starts_on")?;
    if starts < today {
        return Err(invalid(
            "date_in_past",
            "starts_on",
            "开始日期不能早于今天",
            "starts_on must not be before today",
        ));
    }
    let ends = clock::parse_day(input.ends_on.trim(), "ends_on")?;
    if ends < starts {
        return Err(invalid(
            "invalid_dates",
            "ends_on",
            "结束日期不能早于开始日期",
            "ends_on must not be before starts_on",
        ));
    }
    let place = text(&input.place, "place", PLACE_CHARS, "培训地点")?;
    if !(1..=MAX_CAPACITY).contains(&input.capacity) {
        return Err(invalid(
            "invalid_capacity",
            "capacity",
            "培训人数应为1至500人",
            "capacity must be 1 to 500",
        ));
    }
    if !(0..=MAX_COST_CENTS).contains(&input.cost_cents) {
        return Err(invalid(
            "invalid_cost",
            "cost_cents",
            "培训费用应为0(免费)至10万元",
            "cost_cents must be 0 (free) to 10000000",
        ));
    }
    let provider = match input.provider.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => Some(text(p, "provider", PROVIDER_CHARS, "培训机构名称")?),
    };
    let description = input.description.trim().to_string();
    if description.chars().count() > DESCRIPTION_CHARS {
        return Err(invalid(
            "invalid_field",
            "description",
            "培训介绍不超过2000字",
            "description must be at most 2000 characters",
        ));
    }
    Ok(TrainingRow {
        id: uuid::Uuid::now_v7().to_string(),
        tenant_code: tenant.code.clone(),
        kind: kind.as_str().to_string(),
        title,
        occupation_code: occupation,
        starts_on: starts.to_string(),
        ends_on: ends.to_string(),
        place,
        capacity: input.capacity,
        enrolled: 0,
        cost_cents: input.cost_cents,
        provider,
        description,
        status: "open".to_string(),
        created_by: actor.to_string(),
        created_at: now.to_string(),
        updated_at: now.to_string(),
    })
}

/// Create a session of `tenant` (an active market) as staff member `actor`: checked, stored
/// and audited in one transaction.
pub async fn create(
    store: &Store,
    tenant: &Tenant,
    actor: &str,
    input: &NewTraining,
) -> Result<TrainingRow, ApiError> {
    tenant.ensure_active()?;
    let row = check(tenant, input, store.clock().today(), actor, &store.now())?;
    let audit = AuditEvent {
        actor,
        tenant_code: Some(&tenant.code),
        action: "training.create",
        target: Some(&row.id),
        detail: serde_json::json!({"kind": row.kind, "title": row.title, "occupation_code": row.occupation_code,
            "starts_on": row.starts_on, "ends_on": row.ends_on, "capacity": row.capacity, "cost_cents": row.cost_cents}),
    };
    store.insert_training(&row, &audit).await?;
    Ok(row)
}

/// Cancel an open session of `tenant` that has not ended; the enrolments still `enrolled`
/// become `cancelled`. Audited. Returns the session as it now is.
pub async fn cancel(
    store: &Store,
    tenant: &str,
    actor: &str,
    id: &str,
) -> Result<TrainingRow, ApiError> {
    let t = store.training_in_tenant(tenant, id).await?.ok_or_else(not_found)?;
    let conflict = |code, zh, en| ApiError::new(StatusCode::CONFLICT, code, zh, en);
    if t.status != "open" {
        return Err(conflict(
            "training_cancelled",
            "该培训已取消",
            "the session is already cancelled",
        ));
    }
    if t.ends_on < store.clock().today().to_string() {
        return Err(conflict("training_ended", "该培训已结束,不能取消", "the session has ended"));
    }
    let audit = AuditEvent {
        actor,
        tenant_code: Some(tenant),
        action: "training.cancel",
        target: Some(id),
        detail: serde_json::json!({"title": t.title}),
    };
    store.cancel_training(tenant, id, &store.now(), &audit).await?.ok_or_else(|| {
        conflict(
            "concurrent_change",
            "该培训刚被他人更改,请刷新后重试",
            "the session changed meanwhile",
        )
    })?;
    store.training_in_tenant(tenant, id).await?.ok_or_else(not_found)
}

/// A session as shown, with names from `tenants`.
pub fn view(row: TrainingRow, tenants: &[Tenant]) -> TrainingView {
    let tenant_name = tenants
        .iter()
        .find(|t| t.code == row.tenant_code)
        .map_or_else(|| row.tenant_code.clone(), |t| t.name.clone());
    TrainingView {
        kind_name: Kind::parse(&row.kind).map_or("", Kind::name_zh),
        occupation_name: occupations::find(&row.occupation_code)
            .map_or_else(|| row.occupation_code.clone(), |o| o.name.to_string()),
        provider_name: row.provider.clone().unwrap_or_else(|| tenant_name.clone()),
        tenant_name,
        places_left: (row.capacity - row.enrolled).max(0),
        free: row.cost_cents == 0,
        row,
    }
}

/// Search filters as they arrive (query string or form); all optional.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct Search {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only this occupation code.
    pub occupation: Option<String>,
    /// Only sessions of this county's markets (the county and the markets under it).
    pub county: Option<String>,
    /// Sessions starting on or after this day (default today).
    pub from: Option<String>,
    /// `true`: free only; `false`: paid only.
    pub free: Option<bool>,
    /// `true`: include sessions without places left.
    pub include_full: Option<bool>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<i64>,
    /// Sessions skipped (default 0).
    pub offset: Option<i64>,
}

/// One page of sessions found.
#[derive(Debug, Serialize, ToSchema)]
pub struct Found {
    /// The sessions, the soonest first.
    pub trainings: Vec<TrainingView>,
    /// How many are on this page.
    pub count: usize,
    /// The `offset` of the next page, when there may be one.
    pub next_offset: Option<i64>,
}

fn none_if_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Open sessions city-wide that match `s` (with places left unless asked otherwise).
pub async fn find(store: &Store, s: &Search) -> Result<Found, ApiError> {
    let kind = none_if_empty(&s.kind).map(parse_kind).transpose()?.map(|k| k.as_str().to_string());
    let occupation =
        none_if_empty(&s.occupation).map(|o| check_occupation(o, "occupation")).transpose()?;
    let tenants = store.list_tenants().await?;
    let county = match none_if_empty(&s.county) {
        None => None,
        Some(c) => {
            let known =
                tenants.iter().any(|t| t.code == c && t.kind == crate::tenants::TenantKind::County);
            if !known {
                return Err(invalid(
                    "invalid_county",
                    "county",
                    "没有这个县区市场",
                    "no such county",
                ));
            }
            Some(
                tenants
                    .iter()
                    .filter(|t| t.code == c || t.parent.as_deref() == Some(c))
                    .map(|t| t.code.clone())
                    .collect(),
            )
        }
    };
    let today = store.clock().today();
    let from = match none_if_empty(&s.from) {
        None => today,
        Some(f) => clock::parse_day(f, "from")?.max(today),
    };
    let limit = s.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(invalid(
            "invalid_limit",
            "limit",
            "每页条数应为1至100",
            "limit must be 1 to 100",
        ));
    }
    let offset = s.offset.unwrap_or(0);
    if offset < 0 {
        return Err(invalid("invalid_offset", "offset", "偏移量不能为负数", "offset must be ≥ 0"));
    }
    let filter = Find {
        kind,
        occupation,
        tenants: county,
        from: from.to_string(),
        free: s.free,
        include_full: s.include_full.unwrap_or(false),
        limit,
        offset,
    };
    let rows = store.find_trainings_all_tenants(&filter).await?;
    let next_offset = (rows.len() as i64 == limit).then_some(offset + limit);
    let trainings: Vec<TrainingView> = rows.into_iter().map(|r| view(r, &tenants)).collect();
    Ok(Found { count: trainings.len(), trainings, next_offset })
}

/// One session by id, any status (public).
pub async fn get(store: &Store, id: &str) -> Result<TrainingView, ApiError> {
    let row = store.training(id).await?.ok_or_else(not_found)?;
    Ok(view(row, &store.list_tenants().await?))
}

/// The sessions of one market (its staff's list), the latest start first.
pub async fn of_tenant(store: &Store, tenant: &str) -> Result<Vec<TrainingView>, ApiError> {
    let tenants = store.list_tenants().await?;
    Ok(store.tenant_trainings(tenant).await?.into_iter().map(|r| view(r, &tenants)).collect())
}

/// One market's training figures for a period (see [`counts`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Counts {
    /// The market.
    pub tenant: String,
    /// Sessions held: not cancelled, starting in the period.
    pub sessions: i64,
    /// Places held in those sessions (enrolled, attended, absent or completed).
    pub enrolments: i64,
    /// Completions recorded in the period (skill records issued).
    pub completions: i64,
    /// One-to-one vocational guidance (职业指导 sessions of capacity 1) starting in the period.
    pub guidance: i64,
}

/// The training figures of each of `tenants` between `from` and `to` (China dates,
/// inclusive): sessions held, enrolments, completions and one-to-one guidance sessions, one
/// entry per market asked for (zeros included), in the order asked. The period figures of the
/// statistics issue read this.
pub async fn counts(
    store: &Store,
    tenants: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Counts>, ApiError> {
    let found: BTreeMap<String, CountRow> =
        store.training_counts(tenants, &from.to_string(), &to.to_string()).await?;
    Ok(tenants
        .iter()
        .map(|t| {
            let c = found.get(t).cloned().unwrap_or_default();
            Counts {
                tenant: t.clone(),
                sessions: c.sessions,
                enrolments: c.enrolments,
                completions: c.completions,
                guidance: c.guidance,
            }
        })
        .collect())
}

/// The demo city's sessions (called once from `demo::seed`): a 家政服务员 技能培训 of 兰考县 a
/// week from today with the demo worker (`worker_phone`) enrolled, and a free 安全培训 of 杞县.
/// Idempotent: a market that already has an upcoming session gets none.
pub async fn seed_demo(
    store: &Store,
    accounts: &crate::accounts::Accounts,
    worker_phone: &str,
) -> anyhow::Result<()> {
    let today = store.clock().today();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let sessions = [
        ("lankao", NewTraining {
            kind: "skills".into(),
            title: "家政服务员技能培训(五级/初级工)".into(),
            occupation_code: "4-10-01-06".into(),
            starts_on: day(7),
            ends_on: day(11),
            place: "兰考县零工市场二楼培训室".into(),
            capacity: 30,
            cost_cents: 0,
            provider: Some("兰考县职业技能培训中心".into()),
            description: "家庭保洁、衣物洗涤、烹饪基础与母婴照护入门;结业可参加职业技能等级认定(示例数据)。".into(),
        }),
        ("qixian", NewTraining {
            kind: "safety".into(),
            title: "建筑工地安全培训".into(),
            occupation_code: "6-29-01-01".into(),
            starts_on: day(3),
            ends_on: day(3),
            place: "杞县零工市场一楼大厅".into(),
            capacity: 50,
            cost_cents: 0,
            provider: None,
            description: "高处作业、用电安全与个人防护用品的正确使用(示例数据)。".into(),
        }),
    ];
    for (code, input) in sessions {
        let upcoming = store
            .tenant_trainings(code)
            .await?
            .iter()
            .any(|t| t.status == "open" && t.starts_on >= today.to_string());
        if upcoming {
            continue;
        }
        let Some(tenant) = store.get_tenant(code).await? else { continue };
        let row = create(store, &tenant, "demo", &input)
            .await
            .map_err(|e| anyhow::anyhow!("demo training in {code}: {e}"))?;
        if code == "lankao"
            && let Some(worker) = accounts.by_phone(worker_phone).await?
        {
            enrol(store, &worker.id, crate::accounts::AccountKind::Worker, &row.id)
                .await
                .map_err(|e| anyhow::anyhow!("demo enrolment: {e}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant() -> Tenant {
        Tenant {
            code: "lankao".into(),
            kind: crate::tenants::TenantKind::County,
            parent: Some("kaifeng".into()),
            name: "兰考县零工市场".into(),
            region_code: "410225".into(),
            address: "兰考县".into(),
            location: None,
            opening_hours: "8:00-18:00".into(),
            hotline: "0371-12345678".into(),
            complaint_channel: "电话".into(),
            guide: String::new(),
            status: crate::tenants::TenantStatus::Active,
            operator: None,
        }
    }

    fn input() -> NewTraining {
        NewTraining {
            kind: "skills".into(),
            title: "家政服务员技能培训".into(),
            occupation_code: "4-10-01-06".into(),
            starts_on: "2026-12-10".into(),
            ends_on: "2026-12-12".into(),
            place: "兰考县零工市场培训室".into(),
            capacity: 30,
            cost_cents: 0,
            provider: None,
            description: String::new(),
        }
    }

    fn field_of(i: NewTraining) -> String {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        check(&tenant(), &i, today, "a", "now").unwrap_err().field.unwrap()
    }

    #[test]
    fn every_field_is_checked_and_named() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let ok = check(&tenant(), &input(), today, "a", "now").unwrap();
        assert_eq!((ok.enrolled, ok.status.as_str(), ok.provider), (0, "open", None));
        assert_eq!(field_of(NewTraining { kind: "cooking".into(), ..input() }), "kind");
        assert_eq!(field_of(NewTraining { title: " ".into(), ..input() }), "title");
        assert_eq!(field_of(NewTraining { title: "字".repeat(61), ..input() }), "title");
        assert_eq!(
            field_of(NewTraining { occupation_code: "9-99".into(), ..input() }),
            "occupation_code"
        );
        assert_eq!(
            field_of(NewTraining { starts_on: "2026-12-04".into(), ..input() }),
            "starts_on"
        );
        assert_eq!(field_of(NewTraining { starts_on: "12/10".into(), ..input() }), "starts_on");
        assert_eq!(field_of(NewTraining { ends_on: "2026-12-09".into(), ..input() }), "ends_on");
        assert_eq!(field_of(NewTraining { capacity: 0, ..input() }), "capacity");
        assert_eq!(field_of(NewTraining { capacity: 501, ..input() }), "capacity");
        assert_eq!(field_of(NewTraining { cost_cents: -1, ..input() }), "cost_cents");
        assert_eq!(
            field_of(NewTraining { provider: Some("字".repeat(61)), ..input() }),
            "provider"
        );
        let same_day =
            NewTraining { starts_on: "2026-12-05".into(), ends_on: "2026-12-05".into(), ..input() };
        assert!(check(&tenant(), &same_day, today, "a", "now").is_ok());
    }

    #[test]
    fn kinds_round_trip() {
        assert_eq!(Kind::ALL.map(|k| Kind::parse(k.as_str())), Kind::ALL.map(Some));
        assert_eq!(Kind::Guidance.name_zh(), "职业指导");
    }
}
