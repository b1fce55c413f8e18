//! The ledgers in the console (记实管理): a market's day (the five ledgers with their row counts,
//! which are still open, the close with a confirm step, exports), one ledger's rows of a day
//! with the manual-row form and a correction form per row, and the calendar of kept days for a
//! county or the city. Every page calls the `ledgers` function its JSON twin calls.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

use super::console::Market;
use super::form::{FormErrors, PageForm, PageQuery};
use super::page::{Layout, redirect, render};
use super::{PageCtx, PageError};
use crate::api::AppState;
use crate::error::ApiError;
use crate::ledgers::{self, Calendar, ColumnType, Kind, Ledger, Manual, RowView, xlsx};

/// The ledgers' page routes (each is also in `authz::routes::ROUTES`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/ledgers", get(calendar))
        .route("/console/{code}/ledgers", get(day))
        .route("/console/{code}/ledgers.xlsx", get(workbook))
        .route("/console/{code}/ledgers/close", post(close))
        .route("/console/{code}/ledgers/{kind}", get(kind_page).post(add_row))
}

/// `?date=`: the day a page shows.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DayQuery {
    date: String,
}

/// The day asked for (default today), as the domain checks a period's end.
fn day_of(raw: &str, today: NaiveDate) -> Result<NaiveDate, ApiError> {
    let (_, to) = ledgers::period(None, Some(raw).filter(|s| !s.trim().is_empty()), today)
        .map_err(|e| e.with_field("date"))?;
    Ok(to)
}

/// One ledger on the day page.
pub struct KindLine {
    /// Its page for the day.
    pub href: String,
    /// Its workbook for the day.
    pub xlsx: String,
    /// Its Chinese name.
    pub name: &'static str,
    /// How many rows it has (so far, while open).
    pub rows: usize,
    /// Closed, with its hash.
    pub closed: Option<String>,
}

#[derive(Template)]
#[template(path = "ledgers/day.html")]
struct DayPage {
    layout: Layout,
    market: Market,
    day: String,
    today: String,
    kinds: Vec<KindLine>,
    open: usize,
    xlsx: String,
    errors: FormErrors,
    confirm: bool,
}

/// `GET /console/{code}/ledgers?date=`
pub async fn day(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    PageQuery(q): PageQuery<DayQuery>,
) -> Result<Response, PageError> {
    let today = state.store.clock().today();
    match day_of(&q.date, today) {
        Ok(d) => day_page(&state, &ctx, &code, d, FormErrors::none(), false, StatusCode::OK).await,
        Err(e) => {
            day_page(&state, &ctx, &code, today, FormErrors::from_error(&e), false, e.status).await
        }
    }
}

async fn day_page(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    day: NaiveDate,
    errors: FormErrors,
    confirm: bool,
    status: StatusCode,
) -> Result<Response, PageError> {
    let market = Market::load(state, ctx.actor()?, code).await?;
    let tenant = crate::tenants::load(&state.store, code).await?;
    let all = ledgers::ledgers(&state.store, &tenant, day, day).await?;
    let kinds: Vec<KindLine> = all
        .iter()
        .map(|l| {
            let d = &l.days[0];
            KindLine {
                href: format!("/console/{code}/ledgers/{}?date={day}", l.kind),
                xlsx: format!("/console/{code}/ledgers/{}.xlsx?from={day}&to={day}", l.kind),
                name: Kind::parse(&l.kind).map_or("", Kind::name_zh),
                rows: d.rows.len(),
                closed: d.close.as_ref().map(|c| ledgers::short(&c.content_hash).to_string()),
            }
        })
        .collect();
    let open = kinds.iter().filter(|k| k.closed.is_none()).count();
    let page = DayPage {
        layout: ctx.wide_layout(&format!("{} · 台账", market.name)),
        xlsx: format!("/console/{code}/ledgers.xlsx?from={day}&to={day}"),
        market,
        day: day.to_string(),
        today: state.store.clock().today().to_string(),
        kinds,
        open,
        errors,
        confirm,
    };
    render(status, &page)
}

/// What the close form posts.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CloseForm {
    date: String,
    confirm: String,
}

/// `POST /console/{code}/ledgers/close`: first the confirm step (the same page asking to
/// confirm), then, with `confirm=yes`, the close of every open ledger of the day.
pub async fn close(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    PageForm(form): PageForm<CloseForm>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let today = state.store.clock().today();
    let shown = crate::clock::parse_date(form.date.trim()).filter(|d| *d <= today).unwrap_or(today);
    if form.confirm != "yes" {
        return day_page(&state, &ctx, &code, shown, FormErrors::none(), true, StatusCode::OK)
            .await;
    }
    let tenant = crate::tenants::load(&state.store, &code).await?;
    match ledgers::close(&state.store, &tenant, &form.date, None, &actor.id).await {
        Ok(_) => Ok(redirect(&format!("/console/{code}/ledgers?date={}", form.date.trim()))),
        Err(err) if err.status.is_client_error() => {
            let errors = FormErrors::from_error(&err);
            day_page(&state, &ctx, &code, shown, errors, false, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

/// A form input of a ledger's column.
pub struct Input {
    /// Its key (the input's name).
    pub key: &'static str,
    /// Its label.
    pub label: &'static str,
    /// Required in a manual row.
    pub required: bool,
    /// A number input.
    pub number: bool,
    /// The choices of a select, if it is one.
    pub choices: Vec<Opt>,
    /// The longest text it takes.
    pub max: usize,
    /// Shown as a text area.
    pub long: bool,
}

/// A choice of a select.
pub struct Opt {
    /// What it posts.
    pub value: &'static str,
    /// What it shows.
    pub label: &'static str,
}

fn inputs(kind: Kind) -> Vec<Input> {
    kind.columns()
        .iter()
        .filter(|c| c.manual != Manual::AutoOnly)
        .map(|c| Input {
            key: c.key,
            label: c.header,
            required: c.manual == Manual::Required,
            number: c.ty == ColumnType::Count,
            choices: match c.ty {
                ColumnType::Choice(ch) => {
                    ch.iter().map(|(value, label)| Opt { value, label }).collect()
                }
                _ => Vec::new(),
            },
            max: match c.ty {
                ColumnType::Text { max } => max,
                ColumnType::Uscc => 18,
                _ => 50,
            },
            long: matches!(c.ty, ColumnType::Text { max } if max > 100),
        })
        .collect()
}

/// A row as the kind page lists it: its cells in column order.
pub struct Line {
    /// The stored row's id (a correction names it), if stored.
    pub id: Option<String>,
    /// Its short id, shown.
    pub short: String,
    /// The kind's columns, as text.
    pub cells: Vec<String>,
    /// 经办人.
    pub handler: String,
    /// 经办时间, China time.
    pub at: String,
    /// 自动 or 手工.
    pub source: &'static str,
    /// The source record.
    pub source_ref: String,
    /// Late, correction, result slip.
    pub note: String,
    /// An in-person referral still waiting for its result slip may get one.
    pub referral: bool,
}

fn line(kind: Kind, r: &RowView) -> Line {
    Line {
        id: r.id.clone(),
        short: r.id.as_deref().map(ledgers::short).unwrap_or_default().to_string(),
        cells: kind.columns().iter().map(|c| r.text(c.key)).collect(),
        handler: r.handler.clone(),
        at: ledgers::local_time(&r.handled_at),
        source: r.source_zh(),
        source_ref: r.source_ref.clone().unwrap_or_default(),
        note: r.note(),
        referral: kind == Kind::InstantMatching && r.text("event") == "现场推荐",
    }
}

#[derive(Template)]
#[template(path = "ledgers/kind.html")]
struct KindPage {
    layout: Layout,
    market: Market,
    kind: &'static str,
    name: &'static str,
    date_label: &'static str,
    day: String,
    today: String,
    closed: Option<String>,
    headers: Vec<&'static str>,
    lines: Vec<Line>,
    inputs: Vec<Input>,
    values: BTreeMap<String, String>,
    errors: FormErrors,
    /// The row the failed form was correcting or following, if any.
    target: String,
    xlsx: String,
}

impl KindPage {
    /// The value typed into `key` (after a refused submission).
    fn value(&self, key: &str) -> &str {
        self.values.get(key).map_or("", String::as_str)
    }
}

/// `GET /console/{code}/ledgers/{kind}?date=` (or `{kind}.xlsx?from=&to=`: the workbook).
pub async fn kind_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, kind)): Path<(String, String)>,
    PageQuery(q): PageQuery<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    if let Some(kind) = kind.strip_suffix(".xlsx") {
        let kind = ledgers::parse_kind(kind)?;
        let tenant = crate::tenants::load(&state.store, &code).await?;
        let today = state.store.clock().today();
        let (from, to) = ledgers::period(
            q.get("from").map(String::as_str),
            q.get("to").map(String::as_str),
            today,
        )?;
        let l = ledgers::ledger(&state.store, &tenant, kind, from, to).await?;
        let name = format!("{}-{}-{from}至{to}.xlsx", tenant.name, kind.name_zh());
        return download(&[l], &name, &format!("{code}-{}-{from}-{to}.xlsx", kind.as_str()));
    }
    let kind = ledgers::parse_kind(&kind)?;
    let today = state.store.clock().today();
    let raw = q.get("date").map_or("", String::as_str);
    let (day, errors, status) = match day_of(raw, today) {
        Ok(d) => (d, FormErrors::none(), StatusCode::OK),
        Err(e) => (today, FormErrors::from_error(&e), e.status),
    };
    let shown = Shown { day, values: BTreeMap::new(), errors, target: String::new(), status };
    kind_view(&state, &ctx, &code, kind, shown).await
}

/// What a kind page shows besides the ledger: the day, and a refused form's values and errors.
struct Shown {
    day: NaiveDate,
    values: BTreeMap<String, String>,
    errors: FormErrors,
    target: String,
    status: StatusCode,
}

async fn kind_view(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    kind: Kind,
    shown: Shown,
) -> Result<Response, PageError> {
    let market = Market::load(state, ctx.actor()?, code).await?;
    let tenant = crate::tenants::load(&state.store, code).await?;
    let l: Ledger = ledgers::ledger(&state.store, &tenant, kind, shown.day, shown.day).await?;
    let d = &l.days[0];
    let mut headers = vec![kind.date_header()];
    headers.extend(kind.columns().iter().map(|c| c.header));
    let day = shown.day;
    let page = KindPage {
        layout: ctx.wide_layout(&format!("{} · {}", market.name, kind.name_zh())),
        market,
        kind: kind.as_str(),
        name: kind.name_zh(),
        date_label: kind.date_header(),
        day: day.to_string(),
        today: state.store.clock().today().to_string(),
        closed: d.close.as_ref().map(|c| {
            if c.none {
                format!("已日结(无记录),校验码 {}", ledgers::short(&c.content_hash))
            } else {
                format!("已日结,共 {} 条,校验码 {}", c.row_count, ledgers::short(&c.content_hash))
            }
        }),
        headers,
        lines: d.rows.iter().map(|r| line(kind, r)).collect(),
        inputs: inputs(kind),
        values: shown.values,
        errors: shown.errors,
        target: shown.target,
        xlsx: format!("/console/{code}/ledgers/{}.xlsx?from={day}&to={day}", kind.as_str()),
    };
    render(shown.status, &page)
}

/// `POST /console/{code}/ledgers/{kind}`: a manual row (or a correction, or a result slip).
pub async fn add_row(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, kind)): Path<(String, String)>,
    PageForm(form): PageForm<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let kind = ledgers::parse_kind(&kind)?;
    let tenant = crate::tenants::load(&state.store, &code).await?;
    let input: BTreeMap<String, Value> = form
        .iter()
        .filter(|(k, v)| k.as_str() != "csrf_token" && !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), Value::from(v.clone())))
        .collect();
    match ledgers::add_row(&state.store, &tenant, kind, actor, &input).await {
        Ok(row) => {
            Ok(redirect(&format!("/console/{code}/ledgers/{}?date={}", kind.as_str(), row.day)))
        }
        Err(err) if err.status.is_client_error() => {
            let today = state.store.clock().today();
            let day = form
                .get("date")
                .and_then(|d| crate::clock::parse_date(d.trim()))
                .filter(|d| *d <= today)
                .unwrap_or(today);
            let target =
                form.get("corrects").or_else(|| form.get("follows")).cloned().unwrap_or_default();
            let mut fields: Vec<&str> = kind.columns().iter().map(|c| c.key).collect();
            fields.extend(["date", "corrects", "follows"]);
            let errors = FormErrors::from_error(&err).shown_in(&fields);
            let shown = Shown { day, values: form, errors, target, status: err.status };
            kind_view(&state, &ctx, &code, kind, shown).await
        }
        Err(err) => Err(err.into()),
    }
}

/// `GET /console/{code}/ledgers.xlsx?from=&to=`: the five ledgers as one workbook.
pub async fn workbook(
    State(state): State<AppState>,
    Path(code): Path<String>,
    PageQuery(q): PageQuery<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let tenant = crate::tenants::load(&state.store, &code).await?;
    let (from, to) = ledgers::period(
        q.get("from").map(String::as_str),
        q.get("to").map(String::as_str),
        state.store.clock().today(),
    )?;
    let all = ledgers::ledgers(&state.store, &tenant, from, to).await?;
    let name = format!("{}-台账-{from}至{to}.xlsx", tenant.name);
    download(&all, &name, &format!("{code}-ledgers-{from}-{to}.xlsx"))
}

fn download(ls: &[Ledger], name: &str, fallback: &str) -> Result<Response, PageError> {
    let bytes = xlsx::workbook(ls)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, xlsx::CONTENT_TYPE.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, xlsx::content_disposition(name, fallback)),
        ],
        bytes,
    )
        .into_response())
}

/// `?month=&tenant=` of the calendar.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CalendarQuery {
    month: String,
    tenant: String,
}

/// A cell of the calendar grid.
pub struct Cell {
    /// kept, partial, none (the CSS class too).
    pub class: &'static str,
    /// The mark shown: ✓ kept, ◐ partial, – none (with the legend in text).
    pub mark: &'static str,
    /// The title: the day and what is open.
    pub title: String,
    /// Its day page.
    pub href: String,
}

/// A market's row of the grid.
pub struct GridRow {
    /// The market's name.
    pub name: String,
    /// Its ledgers page.
    pub href: String,
    /// How many days it kept.
    pub kept: i64,
    /// One cell per day.
    pub cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "ledgers/calendar.html")]
struct CalendarPage {
    layout: Layout,
    city: bool,
    month: String,
    prev: String,
    next: String,
    days: Vec<u32>,
    rows: Vec<GridRow>,
    errors: FormErrors,
}

/// `GET /console/ledgers?month=&tenant=`: the calendar grid of the caller's market (a county:
/// itself and its stations; the city: every market) or of `tenant`.
pub async fn calendar(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageQuery(q): PageQuery<CalendarQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let tenant = Some(q.tenant.as_str()).filter(|t| !t.trim().is_empty());
    let root = ledgers::calendar_root(&state.store, &state.authz, actor, tenant).await?;
    let (cal, errors, status) =
        match ledgers::calendar(&state.store, &root, Some(q.month.as_str())).await {
            Ok(c) => (c, FormErrors::none(), StatusCode::OK),
            Err(e) => (
                ledgers::calendar(&state.store, &root, None).await?,
                FormErrors::from_error(&e),
                e.status,
            ),
        };
    let page = calendar_page(&ctx, actor, cal, errors)?;
    render(status, &page)
}

fn calendar_page(
    ctx: &PageCtx,
    actor: &crate::authz::Actor,
    cal: Calendar,
    errors: FormErrors,
) -> Result<CalendarPage, PageError> {
    let (first, _) = ledgers::month(Some(&cal.month), first_day(&cal.month))?;
    let prev = first - chrono::Duration::days(1);
    let next = first + chrono::Duration::days(32);
    let fmt_month = |d: NaiveDate| d.format("%Y-%m").to_string();
    let days: Vec<u32> =
        cal.markets.first().map(|m| (1..=m.days.len() as u32).collect()).unwrap_or_default();
    let rows = cal
        .markets
        .iter()
        .map(|m| GridRow {
            name: m.name.clone(),
            href: format!("/console/{}/ledgers", m.code),
            kept: m.kept,
            cells: m
                .days
                .iter()
                .map(|d| {
                    let (class, mark, what) = match (d.status.as_str(), d.future) {
                        (_, true) => ("future", "", "未到".to_string()),
                        ("kept", _) => ("kept", "✓", "已日结".to_string()),
                        ("partial", _) => {
                            let open: Vec<&str> = d
                                .open
                                .iter()
                                .filter_map(|k| Kind::parse(k).map(Kind::name_zh))
                                .collect();
                            ("partial", "◐", format!("部分日结,未结:{}", open.join("、")))
                        }
                        _ => ("none", "–", "未日结".to_string()),
                    };
                    Cell {
                        class,
                        mark,
                        title: format!("{} {}", d.day, what),
                        href: format!("/console/{}/ledgers?date={}", m.code, d.day),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(CalendarPage {
        layout: ctx.wide_layout("台账日结日历"),
        city: matches!(
            actor.kind,
            crate::accounts::AccountKind::CityAdmin | crate::accounts::AccountKind::Auditor
        ),
        month: cal.month.clone(),
        prev: fmt_month(prev),
        next: fmt_month(next),
        days,
        rows,
        errors,
    })
}

fn first_day(month: &str) -> NaiveDate {
    crate::clock::parse_date(&format!("{month}-01")).unwrap_or(crate::clock::FIRST_DAY)
}
