//! The job feed: the city's open posts, or one market's and its descendants', filtered, and
//! paged with a stable cursor.
//!
//! Two orders: newest first (keyset on `(created_at, id)`), or, when searching around a point,
//! nearest first (the database narrows to the bounding box of the radius; the host computes
//! exact distances and orders by `(metres, id)`). Both orders are total, so a cursor never skips
//! or repeats a post, and both databases return the same pages: the host, not SQL, computes
//! distances and cuts the keywords.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{JobView, distance_km, terms};
use crate::error::ApiError;
use crate::identity::pii::PiiKeys;
use crate::regions::in_kaifeng;
use crate::store::Store;
use crate::store::jobs::{FeedQuery, JobRow};
use crate::tenants::{GeoPoint, Tenant};

/// The most posts a radius search considers (nearest first); more is a sign the radius is too large.
const RADIUS_CANDIDATES: i64 = 20_000;
const MAX_RADIUS_KM: f64 = 100.0;

/// Feed filters (`GET /api/v1/jobs`, `GET /api/v1/tenants/{code}/jobs`).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeedParams {
    /// County-level division code, e.g. `410225`.
    pub district: Option<String>,
    /// Occupation code, e.g. `4-02-05-01`.
    pub occupation: Option<String>,
    /// Minimum wage in fen per day.
    pub wage_min: Option<i64>,
    /// Maximum wage in fen per day.
    pub wage_max: Option<i64>,
    /// `daily`, `weekly`, `monthly` or `on_completion`.
    pub settlement: Option<String>,
    /// Chinese keywords, e.g. `装卸 日结`: every word must match.
    pub q: Option<String>,
    /// Longitude of the point to search around (with `lat` and `radius_km`).
    pub lon: Option<f64>,
    /// Latitude of the point to search around (with `lon` and `radius_km`).
    pub lat: Option<f64>,
    /// Radius in km (at most 100); results are sorted nearest first.
    pub radius_km: Option<f64>,
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<i64>,
}

/// One page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    /// The posts of this page, newest first (nearest first in a radius search).
    pub jobs: Vec<JobView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

fn bad(field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request("invalid_query", zh, en).with_field(field)
}

/// Where a radius search is centred, and how far it reaches.
struct Around {
    point: GeoPoint,
    radius_km: f64,
}

fn around(p: &FeedParams) -> Result<Option<Around>, ApiError> {
    match (p.lon, p.lat, p.radius_km) {
        (None, None, None) => Ok(None),
        (Some(lon), Some(lat), Some(r)) => {
            let point = GeoPoint { lon, lat };
            if !in_kaifeng(&point) {
                return Err(bad(
                    "lon",
                    "搜索中心不在开封市范围内",
                    "the search point is not in Kaifeng",
                ));
            }
            if !(r > 0.0 && r <= MAX_RADIUS_KM) {
                return Err(bad(
                    "radius_km",
                    "搜索半径应在0至100公里之间",
                    "radius_km must be more than 0 and at most 100",
                ));
            }
            Ok(Some(Around { point, radius_km: r }))
        }
        _ => Err(bad(
            "radius_km",
            "按距离搜索需同时提供 lon、lat 和 radius_km",
            "a distance search needs lon, lat and radius_km together",
        )),
    }
}

fn check_filters(p: &FeedParams) -> Result<(), ApiError> {
    if p.settlement
        .as_deref()
        .is_some_and(|s| !matches!(s, "daily" | "weekly" | "monthly" | "on_completion"))
    {
        return Err(bad(
            "settlement",
            "结算方式应为 daily、weekly、monthly 或 on_completion",
            "settlement is daily, weekly, monthly or on_completion",
        ));
    }
    if p.wage_min.is_some_and(|w| w < 0) || p.wage_max.is_some_and(|w| w < 0) {
        return Err(bad("wage_min", "薪资范围不能为负", "wage bounds cannot be negative"));
    }
    if p.q.as_ref().is_some_and(|q| q.chars().count() > 50) {
        return Err(bad("q", "关键词不超过50个字", "q is at most 50 characters"));
    }
    Ok(())
}

fn encode(parts: &[&str]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(parts.join("|"))
}

fn decode(cursor: &str, want: usize) -> Result<Vec<String>, ApiError> {
    let err = || {
        bad(
            "cursor",
            "翻页游标无效,请从第一页重新查询",
            "invalid cursor; start again from the first page",
        )
    };
    let bytes =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).map_err(|_| err())?;
    let text = String::from_utf8(bytes).map_err(|_| err())?;
    let parts: Vec<String> = text.split('|').map(str::to_string).collect();
    if parts.len() != want { Err(err()) } else { Ok(parts) }
}

/// The codes of `root` and every market below it.
pub fn subtree(root: &str, tenants: &[Tenant]) -> Vec<String> {
    let mut out = vec![root.to_string()];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i].clone();
        out.extend(
            tenants
                .iter()
                .filter(|t| t.parent.as_deref() == Some(parent.as_str()))
                .map(|t| t.code.clone()),
        );
        i += 1;
    }
    out
}

/// Build the database query for `params` (`tenants`: the markets whose posts count, `None` for all).
pub fn query(
    params: &FeedParams,
    tenants: Option<Vec<String>>,
    now: String,
) -> Result<(FeedQuery, Option<(GeoPoint, f64)>), ApiError> {
    check_filters(params)?;
    let limit = params.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(bad("limit", "每页条数应为1至100", "limit must be 1 to 100"));
    }
    let terms = params.q.as_deref().map(terms::query_terms).unwrap_or_default();
    let mut q = FeedQuery {
        now,
        tenants,
        district: params.district.clone(),
        occupation: params.occupation.clone(),
        wage_min: params.wage_min,
        wage_max: params.wage_max,
        settlement: params.settlement.clone(),
        terms,
        limit: limit + 1,
        ..FeedQuery::default()
    };
    let around = around(params)?;
    if let Some(a) = &around {
        let dlat = a.radius_km / 111.0;
        let dlon = a.radius_km / (111.0 * a.point.lat.to_radians().cos());
        q.bbox =
            Some((a.point.lon - dlon, a.point.lon + dlon, a.point.lat - dlat, a.point.lat + dlat));
        q.limit = RADIUS_CANDIDATES;
    } else if let Some(c) = &params.cursor {
        let parts = decode(c, 2)?;
        q.before = Some((parts[0].clone(), parts[1].clone()));
    }
    Ok((q, around.map(|a| (a.point, a.radius_km))))
}

/// One page of the feed for `params` (`tenants`: the markets whose posts count, `None` for
/// the whole city), as the API serves it.
pub async fn run(
    store: &Store,
    keys: &PiiKeys,
    params: &FeedParams,
    tenants: Option<Vec<String>>,
) -> Result<FeedPage, ApiError> {
    let (query, around) = query(params, tenants, store.now())?;
    if params.q.is_some() && query.terms.is_empty() {
        return Ok(FeedPage { jobs: vec![], next_cursor: None });
    }
    let Some(around) = around else {
        let rows = store.feed(&query).await?;
        return page_newest(rows, params, |r| JobView::new(r, keys, false));
    };
    let (page, next_cursor) = page_nearest(store.feed_points(&query).await?, params, around)?;
    let ids: Vec<String> = page.iter().map(|(id, _)| id.clone()).collect();
    let rows = store.jobs_by_ids(&ids).await?;
    let mut jobs = Vec::with_capacity(page.len());
    for (id, metres) in page {
        // A post that closed between the two reads is left out of this page.
        if let Some(row) = rows.iter().find(|r| r.id == id) {
            let mut view = JobView::new(row, keys, false)?;
            view.distance_km = Some(metres as f64 / 1000.0);
            jobs.push(view);
        }
    }
    Ok(FeedPage { jobs, next_cursor })
}

/// Ids with their distances in metres, nearest first, and the next page's cursor.
type NearestPage = (Vec<(String, i64)>, Option<String>);

/// A newest-first page: the rows are already in order (one more than the page, to tell
/// whether another page follows).
fn page_newest(
    rows: Vec<JobRow>,
    params: &FeedParams,
    view: impl Fn(&JobRow) -> Result<JobView, ApiError>,
) -> Result<FeedPage, ApiError> {
    let limit = params.limit.unwrap_or(20) as usize;
    let more = rows.len() > limit;
    let jobs: Vec<JobView> = rows.iter().take(limit).map(view).collect::<Result<_, _>>()?;
    let next_cursor =
        if more { jobs.last().map(|j| encode(&[&j.post.created_at, &j.post.id])) } else { None };
    Ok(FeedPage { jobs, next_cursor })
}

/// A nearest-first page of a radius search: the posts in the box are measured, kept within the
/// radius, ordered by `(metres, id)` and cut at the cursor. Returns the page's ids with their
/// distances in metres, and the next cursor.
fn page_nearest(
    points: Vec<(String, f64, f64)>,
    params: &FeedParams,
    (centre, radius): (GeoPoint, f64),
) -> Result<NearestPage, ApiError> {
    let limit = params.limit.unwrap_or(20) as usize;
    let mut measured: Vec<(i64, String)> = points
        .into_iter()
        .map(|(id, lon, lat)| {
            ((distance_km(&centre, &GeoPoint { lon, lat }) * 1000.0).round() as i64, id)
        })
        .filter(|(m, _)| (*m as f64) <= radius * 1000.0)
        .collect();
    measured.sort();
    if let Some(c) = &params.cursor {
        let parts = decode(c, 2)?;
        let metres: i64 =
            parts[0].parse().map_err(|_| bad("cursor", "翻页游标无效", "invalid cursor"))?;
        measured.retain(|(m, id)| (*m, id.as_str()) > (metres, parts[1].as_str()));
    }
    let more = measured.len() > limit;
    measured.truncate(limit);
    let next_cursor =
        if more { measured.last().map(|(m, id)| encode(&[&m.to_string(), id])) } else { None };
    Ok((measured.into_iter().map(|(m, id)| (id, m)).collect(), next_cursor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = encode(&["2026-11-29T08:00:00.000000Z", "0193-abc"]);
        assert_eq!(decode(&c, 2).unwrap(), ["2026-11-29T08:00:00.000000Z", "0193-abc"]);
        assert_eq!(decode("!!!", 2).unwrap_err().field.as_deref(), Some("cursor"));
        assert!(decode(&c, 3).is_err());
    }

    #[test]
    fn a_radius_search_needs_all_three_parameters() {
        let p = FeedParams { lon: Some(114.35), lat: Some(34.79), ..Default::default() };
        assert_eq!(around(&p).err().unwrap().field.as_deref(), Some("radius_km"));
        let far = FeedParams {
            lon: Some(116.4),
            lat: Some(39.9),
            radius_km: Some(5.0),
            ..Default::default()
        };
        assert_eq!(around(&far).err().unwrap().field.as_deref(), Some("lon"));
    }
}
