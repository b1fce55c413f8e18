//! `/console`: the city's home for its administrator (and, read only, the auditor): the tree of
//! every market with create, rename and withdraw, and the dashboard of the last 30 days per
//! county, drawn by ECharts (`assets/charts.js`) from the same figures the page's table shows.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::feed::Choice;
use super::form::{FormErrors, PageForm, PageQuery};
use super::page::{Layout, redirect, render};
use super::{PageCtx, PageError, assets, fmt};
use crate::api::AppState;
use crate::authz::{Actor, path_of};
use crate::error::ApiError;
use crate::stats::{self, AreaFigures, Dashboard};
use crate::tenants::changes::{self, TenantPatch};
use crate::tenants::{Tenant, TenantKind, TenantStatus};

/// The fields of the create form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CreateForm {
    /// The new market's code.
    pub code: String,
    /// `county`, `specialty` or `station`.
    pub kind: String,
    /// The parent market's code.
    pub parent: String,
    /// The official name (the naming plugin decides).
    pub name: String,
    /// 行政区划代码.
    pub region_code: String,
    /// Street address.
    pub address: String,
    /// 运营时间.
    pub opening_hours: String,
    /// 服务热线.
    pub hotline: String,
    /// 投诉渠道.
    pub complaint_channel: String,
    /// The agency that runs a specialty market.
    pub operator: String,
}

/// The rename form of one market.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RenameForm {
    /// The new name.
    pub name: String,
}

/// What a finished change says at the top of the page.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Notice {
    /// `created`, `renamed` or `withdrawn`.
    pub done: String,
    /// The market it concerns.
    pub code: String,
}

/// A market in the tree, flattened with its depth.
pub struct TreeRow {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// 0 for the city, 1 below it, …
    pub depth: usize,
    /// Its kind, in Chinese.
    pub kind: &'static str,
    /// Its status, in Chinese.
    pub status: &'static str,
    /// Whether it is serving.
    pub active: bool,
    /// Whether it may be renamed and withdrawn here (not the city, not withdrawn).
    pub changeable: bool,
    /// What was typed into its rename form, when that failed.
    pub typed: String,
    /// Why its rename failed.
    pub errors: FormErrors,
}

/// One dashboard row as shown.
pub struct FigureRow {
    /// The county's code (`data-area`).
    pub code: String,
    /// Its name.
    pub name: String,
    /// posts, filled, check-ins, complaints.
    pub figures: [i64; 4],
}

impl FigureRow {
    fn of(f: &AreaFigures) -> FigureRow {
        FigureRow {
            code: f.code.clone(),
            name: f.name.clone(),
            figures: [f.posts, f.filled, f.check_ins, f.complaints],
        }
    }
}

#[derive(Template)]
#[template(path = "city_console.html")]
struct CityPage {
    layout: Layout,
    echarts: String,
    charts: String,
    period: String,
    names: [&'static str; 4],
    figures: Vec<FigureRow>,
    total: FigureRow,
    chart: String,
    tree: Vec<TreeRow>,
    can_write: bool,
    notice: Option<String>,
    tree_error: Option<String>,
    form: CreateForm,
    kinds: Vec<Choice>,
    parents: Vec<Choice>,
    inputs: Vec<TextInput>,
    errors: FormErrors,
}

/// A text field of the create form.
pub struct TextInput {
    /// Its name (the domain's field name).
    pub field: &'static str,
    /// Its label.
    pub label: &'static str,
    /// What it holds.
    pub value: String,
    /// An example.
    pub hint: &'static str,
}

/// The create form's text fields, holding what was typed.
fn inputs(f: &CreateForm) -> Vec<TextInput> {
    let input =
        |field, label, value: &String, hint| TextInput { field, label, value: value.clone(), hint };
    vec![
        input("code", "编码", &f.code, "小写字母、数字和连字符,如 lankao-huian"),
        input("name", "名称", &f.name, "如:惠安街道零工驿站"),
        input("region_code", "行政区划代码", &f.region_code, "如 410225"),
        input("address", "地址", &f.address, ""),
        input("opening_hours", "运营时间", &f.opening_hours, "如:周一至周六 07:00-17:00"),
        input("hotline", "服务热线", &f.hotline, "如 0371-23225001"),
        input("complaint_channel", "投诉渠道", &f.complaint_channel, "如:12333 人社服务热线"),
        input("operator", "运营机构(专业市场)", &f.operator, ""),
    ]
}

/// The names of the figures, in the table's (and the chart's) order.
pub const FIGURES: [&str; 4] = ["发布岗位", "招满名额", "扫码登记", "投诉"];

/// What a failed change re-renders the page with.
#[derive(Default)]
struct Failed {
    form: CreateForm,
    errors: FormErrors,
    rename: Option<(String, String, FormErrors)>,
    tree_error: Option<String>,
}

/// `GET /console`
pub async fn home(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageQuery(notice): PageQuery<Notice>,
) -> Result<Response, PageError> {
    let message = notice_text(&notice);
    page(&state, &ctx, Failed::default(), message, StatusCode::OK).await
}

/// `POST /console/tenants`: create a market.
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageForm(form): PageForm<CreateForm>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let result = match tenant_of(&form) {
        Ok(t) => {
            changes::create_as(&state.store, &state.rules, &state.authz, actor, &t).await.map(|_| t)
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(t) => Ok(redirect(&format!("/console?done=created&code={}", t.code))),
        Err(err) if err.status.is_client_error() => {
            let errors = FormErrors::from_error(&err).shown_in(&CREATE_FIELDS);
            let failed = Failed { form, errors, ..Failed::default() };
            page(&state, &ctx, failed, None, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /console/tenants/{code}`: rename a market (the naming plugin decides).
pub async fn rename(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    PageForm(form): PageForm<RenameForm>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let patch = TenantPatch::rename(form.name.trim());
    match changes::update(&state.store, &state.rules, &actor.id, &code, patch).await {
        Ok(_) => Ok(redirect(&format!("/console?done=renamed&code={code}"))),
        Err(err) if err.status == StatusCode::NOT_FOUND => Err(err.into()),
        Err(err) if err.status.is_client_error() => {
            let errors = FormErrors::from_error(&err).shown_in(&["name"]);
            let failed = Failed { rename: Some((code, form.name, errors)), ..Failed::default() };
            page(&state, &ctx, failed, None, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /console/tenants/{code}/withdraw`: withdraw a market.
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    match changes::withdraw(&state.store, &actor.id, &code).await {
        Ok(_) => Ok(redirect(&format!("/console?done=withdrawn&code={code}"))),
        Err(err) if err.status.is_client_error() => {
            let message = super::page::zh(&err.message).to_string();
            let failed = Failed { tree_error: Some(message), ..Failed::default() };
            page(&state, &ctx, failed, None, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

const CREATE_FIELDS: [&str; 10] = [
    "code",
    "kind",
    "parent",
    "name",
    "region_code",
    "address",
    "opening_hours",
    "hotline",
    "complaint_channel",
    "operator",
];

/// The market the create form describes; a kind that is not one is an error naming the field.
fn tenant_of(form: &CreateForm) -> Result<Tenant, ApiError> {
    let kind = TenantKind::parse(form.kind.trim()).filter(|k| *k != TenantKind::City).ok_or_else(
        || {
            ApiError::bad_request("invalid_kind", "请选择市场类型", "choose a kind")
                .with_field("kind")
        },
    )?;
    let text = |s: &str| s.trim().to_string();
    let required = |field: &'static str, label: &str, value: &str| {
        if value.trim().is_empty() {
            Err(ApiError::bad_request("missing_field", &format!("请填写{label}"), field)
                .with_field(field))
        } else {
            Ok(text(value))
        }
    };
    Ok(Tenant {
        code: required("code", "编码", &form.code)?,
        kind,
        parent: Some(required("parent", "上级市场", &form.parent)?),
        name: required("name", "名称", &form.name)?,
        region_code: required("region_code", "行政区划代码", &form.region_code)?,
        address: required("address", "地址", &form.address)?,
        location: None,
        opening_hours: required("opening_hours", "运营时间", &form.opening_hours)?,
        hotline: required("hotline", "服务热线", &form.hotline)?,
        complaint_channel: required("complaint_channel", "投诉渠道", &form.complaint_channel)?,
        guide: String::new(),
        status: TenantStatus::Active,
        operator: Some(text(&form.operator)).filter(|o| !o.is_empty()),
    })
}

fn notice_text(n: &Notice) -> Option<String> {
    let what = match n.done.as_str() {
        "created" => "已新建市场",
        "renamed" => "已更名",
        "withdrawn" => "已退出市场",
        _ => return None,
    };
    Some(format!("{what}:{}", n.code))
}

/// Render the console with what failed (if anything).
async fn page(
    state: &AppState,
    ctx: &PageCtx,
    failed: Failed,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let tenants = state.store.list_tenants().await?;
    let dashboard = stats::dashboard(&state.store).await?;
    let can_write = may(state, actor, "tenants", "write").await;
    let page = CityPage {
        layout: ctx.wide_layout("市级后台"),
        echarts: assets::url("echarts.simple.min.js"),
        charts: assets::url("charts.js"),
        period: format!("{} 至 {}", fmt::day(dashboard.from), fmt::day(dashboard.to)),
        names: FIGURES,
        figures: dashboard.rows.iter().map(FigureRow::of).collect(),
        total: FigureRow::of(&dashboard.total()),
        chart: chart_json(&dashboard),
        tree: tree(&tenants, failed.rename),
        can_write,
        notice,
        tree_error: failed.tree_error,
        inputs: inputs(&failed.form),
        form: failed.form,
        kinds: [TenantKind::County, TenantKind::Specialty, TenantKind::Station]
            .into_iter()
            .map(|k| Choice { value: k.as_str().into(), label: k.zh().into() })
            .collect(),
        parents: tenants
            .iter()
            .filter(|t| t.kind != TenantKind::Station && t.status != TenantStatus::Withdrawn)
            .map(|t| Choice { value: t.code.clone(), label: t.name.clone() })
            .collect(),
        errors: failed.errors,
    };
    render(status, &page)
}

/// Whether the caller may do `action` on `object` city-wide (the auditor reads only: the
/// pages then show no forms).
pub(super) async fn may(state: &AppState, actor: &Actor, object: &str, action: &str) -> bool {
    let Ok(tenants) = state.store.list_tenants().await else { return false };
    let path = crate::authz::city_path(&tenants).unwrap_or_default();
    state.authz.allowed(actor, &path, object, action).await
}

/// The tree depth first, each market with its depth; `rename` is the failed rename to show.
fn tree(tenants: &[Tenant], rename: Option<(String, String, FormErrors)>) -> Vec<TreeRow> {
    tenants
        .iter()
        .map(|t| {
            let depth = path_of(&t.code, tenants).map_or(0, |p| p.matches('/').count());
            let (typed, errors) = match &rename {
                Some((code, typed, errors)) if *code == t.code => (typed.clone(), errors.clone()),
                _ => (t.name.clone(), FormErrors::none()),
            };
            TreeRow {
                code: t.code.clone(),
                name: t.name.clone(),
                depth: depth.min(3),
                kind: t.kind.zh(),
                status: status_zh(t.status),
                active: t.status == TenantStatus::Active,
                changeable: t.parent.is_some() && t.status != TenantStatus::Withdrawn,
                typed,
                errors,
            }
        })
        .collect()
}

fn status_zh(s: TenantStatus) -> &'static str {
    match s {
        TenantStatus::Active => "运营中",
        TenantStatus::Preparing => "筹建中",
        TenantStatus::Suspended => "暂停服务",
        TenantStatus::Withdrawn => "已退出",
    }
}

/// The chart's data (read by `charts.js` from a `data-` attribute): the areas and, per figure,
/// its values.
fn chart_json(d: &Dashboard) -> String {
    let areas: Vec<&str> = d.rows.iter().map(|r| r.name.as_str()).collect();
    let values = |f: fn(&AreaFigures) -> i64| d.rows.iter().map(f).collect::<Vec<i64>>();
    let series = serde_json::json!([
        {"name": FIGURES[0], "data": values(|r| r.posts)},
        {"name": FIGURES[1], "data": values(|r| r.filled)},
        {"name": FIGURES[2], "data": values(|r| r.check_ins)},
        {"name": FIGURES[3], "data": values(|r| r.complaints)},
    ]);
    serde_json::json!({"areas": areas, "series": series}).to_string()
}
