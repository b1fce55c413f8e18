//! Posting a job (`/employer/jobs/new`, `POST /employer/jobs`): the form the standard post
//! information of plan §6 is typed into, parsed into the JSON API's [`JobInput`] and published by
//! the same [`jobs::publish`]. A field the form cannot read, or the domain refuses, is named next
//! to the field; the posting-review plugin's verdict (open, held, rejected with its reasons) is
//! shown on the post's page the browser is sent to.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Duration;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::{PROFILE_PAGE, Verification, employer};
use crate::api::AppState;
use crate::error::ApiError;
use crate::jobs::occupations::{OCCUPATIONS, major_group};
use crate::jobs::{self, JobInput};
use crate::regions::{KAIFENG, RegionStatus};
use crate::tenants::{GeoPoint, Tenant, TenantKind, TenantStatus};
use crate::web::feed::Choice;
use crate::web::form::{FormErrors, PageForm};
use crate::web::page::{Layout, redirect, render};
use crate::web::{PageCtx, PageError, fmt};

/// The fields of the form, in the order shown; errors of any other field go above the form.
const FIELDS: &[&str] = &[
    "tenant",
    "title",
    "occupation_code",
    "description",
    "headcount",
    "district",
    "address",
    "location",
    "work_start",
    "work_end",
    "daily_hours",
    "wage",
    "wage_unit",
    "settlement",
    "closes_at",
    "contact_name",
    "contact_phone",
    "requirements",
    "qualifications",
];

/// The post form as typed (every field text; empty when not given).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PostForm {
    /// The market's code.
    pub tenant: String,
    /// The title.
    pub title: String,
    /// What the work is.
    pub description: String,
    /// The 职业分类大典 code.
    pub occupation_code: String,
    /// How many workers.
    pub headcount: String,
    /// The county-level division code of the work place.
    pub district: String,
    /// Where the work is.
    pub address: String,
    /// The work place's longitude (optional: the county market's place otherwise).
    pub lon: String,
    /// The work place's latitude.
    pub lat: String,
    /// The first day, `YYYY-MM-DD`.
    pub work_start: String,
    /// The last day.
    pub work_end: String,
    /// Hours a day.
    pub daily_hours: String,
    /// The wage in yuan.
    pub wage: String,
    /// `day`, `hour`, `piece` or `month`.
    pub wage_unit: String,
    /// `daily`, `weekly`, `monthly` or `on_completion`.
    pub settlement: String,
    /// When hiring closes, China's time (`2026-12-03T18:00`).
    pub closes_at: String,
    /// The contact person.
    pub contact_name: String,
    /// The contact number.
    pub contact_phone: String,
    /// Requirements, one a line.
    pub requirements: String,
    /// Certificates asked for, one a line.
    pub qualifications: String,
}

/// Occupations of one major group of the 职业分类大典, for an `<optgroup>`.
pub struct OccupationGroup {
    /// The major group's name.
    pub label: &'static str,
    /// Its occupations.
    pub items: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "employer_post.html")]
struct PostPage {
    layout: Layout,
    form: PostForm,
    markets: Vec<Choice>,
    districts: Vec<Choice>,
    occupations: Vec<OccupationGroup>,
    units: Vec<Choice>,
    settlements: Vec<Choice>,
    verification: Verification,
    profile_page: &'static str,
    errors: FormErrors,
}

impl PostPage {
    async fn new(
        state: &AppState,
        ctx: &PageCtx,
        form: PostForm,
        errors: FormErrors,
    ) -> Result<PostPage, PageError> {
        let me = employer(ctx)?;
        let profile = state.store.profile(&me.id).await?;
        let tenants = state.store.list_tenants().await?;
        Ok(PostPage {
            layout: ctx.layout("发布招聘"),
            form,
            markets: markets(&tenants),
            districts: districts(),
            occupations: occupation_groups(),
            units: choices(&[
                ("day", "元/天"),
                ("hour", "元/小时"),
                ("piece", "元/件"),
                ("month", "元/月"),
            ]),
            settlements: choices(&[
                ("daily", "日结"),
                ("weekly", "周结"),
                ("monthly", "月结"),
                ("on_completion", "完工结"),
            ]),
            verification: Verification::of(profile.as_ref()),
            profile_page: PROFILE_PAGE,
            errors: errors.shown_in(FIELDS),
        })
    }
}

/// `GET /employer/jobs/new`: the form, filled with what is usually right (the employer's market,
/// tomorrow, eight hours, 日结, their contact).
pub async fn new_post(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    let me = employer(&ctx)?;
    let profile = state.store.profile(&me.id).await?;
    let account = state.store.account(&me.id).await?;
    let phone = account.and_then(|a| state.accounts.keys().decrypt(&a.phone_enc).ok());
    let tomorrow = state.store.clock().today() + Duration::days(1);
    let home = profile.as_ref().map(|p| p.home_tenant.clone()).unwrap_or_default();
    let district = state
        .store
        .get_tenant(&home)
        .await?
        .filter(|t| t.kind == TenantKind::County)
        .map(|t| t.region_code)
        .unwrap_or_default();
    let contact = profile.as_ref().and_then(|p| {
        let details: serde_json::Value = serde_json::from_str(&p.details).ok()?;
        details["contact_name"].as_str().map(str::to_string)
    });
    let form = PostForm {
        tenant: home,
        district,
        headcount: "1".into(),
        work_start: tomorrow.to_string(),
        work_end: tomorrow.to_string(),
        daily_hours: "8".into(),
        wage_unit: "day".into(),
        settlement: "daily".into(),
        closes_at: format!("{tomorrow}T07:00"),
        contact_name: contact.unwrap_or_default(),
        contact_phone: phone.unwrap_or_default(),
        ..PostForm::default()
    };
    let page = PostPage::new(&state, &ctx, form, FormErrors::none()).await?;
    render(StatusCode::OK, &page)
}

/// `POST /employer/jobs`: publish through the posting review, then on to the post's page (which
/// shows the review's verdict and reasons); or the form again with the error by its field.
pub async fn create_post(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageForm(form): PageForm<PostForm>,
) -> Result<Response, PageError> {
    let me = employer(&ctx)?;
    let account = state.store.account(&me.id).await?.ok_or_else(|| {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "请先登录", "log in first")
    })?;
    let tenants = state.store.list_tenants().await?;
    let published = match input(&form, &tenants) {
        Ok(input) => {
            jobs::publish(&state.store, &state.rules, state.accounts.keys(), &account, input).await
        }
        Err(err) => Err(err),
    };
    match published {
        Ok(row) => Ok(redirect(&format!("/employer/jobs/{}", row.id))),
        Err(err) if err.status.is_client_error() => {
            let status = err.status;
            let errors = FormErrors::from_error(&as_typed(err));
            render(status, &PostPage::new(&state, &ctx, form, errors).await?)
        }
        Err(err) => Err(err.into()),
    }
}

/// The domain names the wage in fen; the form has it in yuan.
fn as_typed(mut err: ApiError) -> ApiError {
    if err.field.as_deref() == Some("wage_cents") {
        err.field = Some("wage".into());
    }
    err
}

fn invalid(field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request("invalid_field", zh, en).with_field(field)
}

/// A choice of a fixed list, by its JSON name (`day`, `on_completion`, …).
fn one_of<T: DeserializeOwned>(value: &str, field: &str, zh: &str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(value.trim().to_string()))
        .map_err(|_| invalid(field, zh, &format!("{field}: not one of the choices")))
}

/// The JSON API's input for what was typed; a value the form cannot read names its field.
fn input(form: &PostForm, tenants: &[Tenant]) -> Result<JobInput, ApiError> {
    let headcount = form.headcount.trim().parse::<u32>().map_err(|_| {
        invalid("headcount", "招聘人数请填写1至1000的整数", "headcount: a whole number")
    })?;
    let daily_hours =
        form.daily_hours.trim().parse::<f64>().ok().filter(|h| h.is_finite()).ok_or_else(|| {
            invalid("daily_hours", "每日工时请填写小时数,如 8", "daily_hours: hours")
        })?;
    let wage_cents = fmt::parse_yuan(&form.wage).ok_or_else(|| {
        invalid("wage", "薪资请填写金额(元),如 180 或 180.50", "wage: an amount in yuan")
    })?;
    let lines = |s: &str| -> Vec<String> {
        s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
    };
    Ok(JobInput {
        tenant: form.tenant.trim().to_string(),
        title: form.title.clone(),
        description: form.description.clone(),
        occupation_code: form.occupation_code.trim().to_string(),
        headcount,
        district: form.district.trim().to_string(),
        address: form.address.clone(),
        location: location(form, tenants)?,
        work_start: form.work_start.trim().to_string(),
        work_end: form.work_end.trim().to_string(),
        daily_hours,
        wage_cents,
        wage_unit: one_of(&form.wage_unit, "wage_unit", "请选择计薪方式")?,
        settlement: one_of(&form.settlement, "settlement", "请选择结算方式")?,
        closes_at: fmt::china_time(&form.closes_at),
        contact_name: form.contact_name.clone(),
        contact_phone: form.contact_phone.trim().to_string(),
        requirements: lines(&form.requirements),
        qualifications: lines(&form.qualifications),
        min_age: None,
        max_age: None,
        skill_level: None,
        charges_worker_fee: false,
    })
}

/// The work place's coordinates as typed; without them, the place of the county's market (or of
/// the market posted in), which matching and distances then measure from.
fn location(form: &PostForm, tenants: &[Tenant]) -> Result<GeoPoint, ApiError> {
    let (lon, lat) = (form.lon.trim(), form.lat.trim());
    if lon.is_empty() && lat.is_empty() {
        let county = tenants
            .iter()
            .find(|t| t.kind == TenantKind::County && t.region_code == form.district.trim());
        let market = tenants.iter().find(|t| t.code == form.tenant.trim());
        return county.or(market).and_then(|t| t.location).ok_or_else(|| {
            invalid("location", "请填写工作地点的经纬度", "location: longitude and latitude")
        });
    }
    match (lon.parse::<f64>(), lat.parse::<f64>()) {
        (Ok(lon), Ok(lat)) if lon.is_finite() && lat.is_finite() => Ok(GeoPoint { lon, lat }),
        _ => Err(invalid(
            "location",
            "经纬度请填写数字,如 114.82 和 34.82,或都不填",
            "location: two numbers, or neither",
        )),
    }
}

/// The markets that take posts.
fn markets(tenants: &[Tenant]) -> Vec<Choice> {
    tenants
        .iter()
        .filter(|t| t.status == TenantStatus::Active)
        .map(|t| Choice { value: t.code.clone(), label: t.name.clone() })
        .collect()
}

/// Kaifeng's current county-level divisions.
fn districts() -> Vec<Choice> {
    KAIFENG
        .iter()
        .filter(|r| r.code != crate::regions::CITY_CODE && r.status != RegionStatus::Retired)
        .map(|r| Choice { value: r.code.into(), label: r.name.into() })
        .collect()
}

/// The occupations by major group, in the groups' order.
fn occupation_groups() -> Vec<OccupationGroup> {
    let mut sorted: Vec<_> = OCCUPATIONS.iter().collect();
    sorted.sort_by_key(|o| o.code);
    let mut groups: Vec<OccupationGroup> = Vec::new();
    for o in sorted {
        let choice = Choice { value: o.code.into(), label: format!("{}({})", o.name, o.code) };
        match groups.last_mut() {
            Some(g) if g.label == major_group(o.code) => g.items.push(choice),
            _ => groups.push(OccupationGroup { label: major_group(o.code), items: vec![choice] }),
        }
    }
    groups
}

fn choices(list: &[(&str, &str)]) -> Vec<Choice> {
    list.iter().map(|(v, l)| Choice { value: (*v).into(), label: (*l).into() }).collect()
}
