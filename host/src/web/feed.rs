//! `/`: the city's job feed for people looking for a day's work: keywords, occupation, county,
//! wage, and distance from where they are (the browser's location when allowed, else a county
//! they choose); newest or nearest first, a page at a time.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::form::{FormErrors, PageQuery};
use super::page::{Layout, render};
use super::{PageCtx, PageError, fmt};
use crate::api::AppState;
use crate::error::ApiError;
use crate::jobs::JobView;
use crate::jobs::feed::{self, FeedParams};
use crate::jobs::occupations::OCCUPATIONS;
use crate::tenants::{Tenant, TenantKind};

/// The feed's search form, as typed (every field may be empty).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct FeedForm {
    /// Keywords.
    pub q: String,
    /// An occupation code.
    pub occupation: String,
    /// A county-level division code.
    pub district: String,
    /// The lowest daily wage, in yuan.
    pub wage_min: String,
    /// `me` (with `lon`/`lat` from the browser) or a county code: search around it.
    pub near: String,
    /// The browser's longitude.
    pub lon: String,
    /// The browser's latitude.
    pub lat: String,
    /// How far around, in km.
    pub radius_km: String,
    /// The next page's cursor.
    pub cursor: String,
}

/// A post as a card of the feed.
pub struct JobCard {
    /// Its page.
    pub href: String,
    /// The title.
    pub title: String,
    /// `180元/天`.
    pub wage: String,
    /// 日结, 周结, …
    pub settlement: &'static str,
    /// The county and the address.
    pub place: String,
    /// The days of work.
    pub days: String,
    /// `还剩 3 个名额`.
    pub places_left: i64,
    /// The occupation's name.
    pub occupation: String,
    /// How far, when searched around a point.
    pub distance: Option<String>,
}

impl JobCard {
    /// The card of a post.
    pub fn of(v: &JobView) -> JobCard {
        let p = &v.post;
        JobCard {
            href: format!("/jobs/{}", p.id),
            title: p.title.clone(),
            wage: fmt::wage(p.wage_cents, &p.wage_unit),
            settlement: fmt::settlement(&p.settlement),
            place: format!("{} · {}", v.district_name, p.address),
            days: fmt::days(&p.work_start, &p.work_end),
            places_left: v.open_places,
            occupation: v.occupation_name.clone(),
            distance: v.distance_km.map(fmt::distance),
        }
    }
}

/// A choice of a `<select>`.
pub struct Choice {
    /// The submitted value.
    pub value: String,
    /// What it says.
    pub label: String,
}

#[derive(Template)]
#[template(path = "feed.html")]
struct FeedPage {
    layout: Layout,
    form: FeedForm,
    occupations: Vec<Choice>,
    districts: Vec<Choice>,
    jobs: Vec<JobCard>,
    next: Option<String>,
    errors: FormErrors,
}

/// `GET /`
pub async fn feed(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageQuery(form): PageQuery<FeedForm>,
) -> Result<Response, PageError> {
    let tenants = state.store.list_tenants().await?;
    let result = match params(&form, &tenants) {
        Ok(params) => feed::run(&state.store, state.accounts.keys(), &params, None).await,
        Err(err) => Err(err),
    };
    let (jobs, next, errors, status) = match result {
        Ok(page) => {
            let next = page.next_cursor.map(|c| next_link(&form, &c));
            (page.jobs.iter().map(JobCard::of).collect(), next, FormErrors::none(), StatusCode::OK)
        }
        Err(err) if err.status.is_client_error() => {
            (Vec::new(), None, FormErrors::from_error(&err), err.status)
        }
        Err(err) => return Err(err.into()),
    };
    let page = FeedPage {
        layout: ctx.layout("找工作"),
        form,
        occupations: OCCUPATIONS
            .iter()
            .map(|o| Choice { value: o.code.into(), label: o.name.into() })
            .collect(),
        districts: counties(&tenants),
        jobs,
        next,
        errors: errors.shown_in(&["q", "occupation", "district", "wage_min", "near", "radius_km"]),
    };
    render(status, &page)
}

/// The feed's parameters for the form; a value that is not what its field takes is an error
/// naming the field.
fn params(form: &FeedForm, tenants: &[Tenant]) -> Result<FeedParams, ApiError> {
    let some = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
    let mut p = FeedParams {
        q: some(&form.q),
        occupation: some(&form.occupation),
        district: some(&form.district),
        cursor: some(&form.cursor),
        ..FeedParams::default()
    };
    if let Some(w) = some(&form.wage_min) {
        let cents = fmt::parse_yuan(&w).ok_or_else(|| {
            ApiError::bad_request("invalid_query", "最低日薪请填写金额(元)", "wage_min: yuan")
                .with_field("wage_min")
        })?;
        p.wage_min = Some(cents);
    }
    if let Some((lon, lat)) = around(form, tenants)? {
        let radius = some(&form.radius_km).unwrap_or_else(|| "20".into());
        let radius = radius.parse::<f64>().ok().filter(|r| r.is_finite()).ok_or_else(|| {
            ApiError::bad_request("invalid_query", "范围请填写公里数", "radius_km: km")
                .with_field("radius_km")
        })?;
        (p.lon, p.lat, p.radius_km) = (Some(lon), Some(lat), Some(radius));
    }
    Ok(p)
}

/// The point to search around: the browser's, or the chosen county's market.
fn around(form: &FeedForm, tenants: &[Tenant]) -> Result<Option<(f64, f64)>, ApiError> {
    let near = form.near.trim();
    let bad =
        |zh: &str, en: &str| ApiError::bad_request("invalid_query", zh, en).with_field("near");
    match near {
        "" => Ok(None),
        "me" => {
            let lon = form.lon.trim().parse::<f64>();
            let lat = form.lat.trim().parse::<f64>();
            match (lon, lat) {
                (Ok(lon), Ok(lat)) => Ok(Some((lon, lat))),
                _ => Err(bad("未能取得您的位置,请选择所在区县", "no location: choose a county")),
            }
        }
        code => tenants
            .iter()
            .find(|t| t.kind == TenantKind::County && t.region_code == code)
            .and_then(|t| t.location)
            .map(|p| Some((p.lon, p.lat)))
            .ok_or_else(|| bad("请选择开封市的区县", "near: a county of Kaifeng")),
    }
}

/// The link to the next page: the same search with the cursor.
fn next_link(form: &FeedForm, cursor: &str) -> String {
    let next = FeedForm { cursor: cursor.to_string(), ..form.clone() };
    let pairs = [
        ("q", &next.q),
        ("occupation", &next.occupation),
        ("district", &next.district),
        ("wage_min", &next.wage_min),
        ("near", &next.near),
        ("lon", &next.lon),
        ("lat", &next.lat),
        ("radius_km", &next.radius_km),
        ("cursor", &next.cursor),
    ];
    let kept: Vec<(&str, &String)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    format!("/?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
}

/// The county-level divisions that have a county market, as choices (their code and name).
fn counties(tenants: &[Tenant]) -> Vec<Choice> {
    tenants
        .iter()
        .filter(|t| t.kind == TenantKind::County)
        .filter_map(|t| crate::regions::find(&t.region_code))
        .map(|r| Choice { value: r.code.into(), label: r.name.into() })
        .collect()
}
