//! The five daily ledgers of a market (记实管理, plan §8): what staff write by hand, what the
//! market's records fill in by themselves, and the daily close (日结) that signs a day.
//!
//! - **Kinds and columns** live in [`Kind`]: policy outreach, employer demand, labour supply,
//!   employer liaison and instant matching, each with its columns (the public employment
//!   service data standard's names where it has one) and what a manual row requires.
//! - **Manual rows** ([`add_row`]) are checked field by field, written by the market's staff
//!   (the handler) for the market (the handling office), audited (`ledger.row`). A row is never
//!   updated or deleted: a correction is a new row whose `corrects` names the row it corrects
//!   (same market and ledger); the result slip (回执) of an in-person referral is a new row
//!   whose `follows` names the referral.
//! - **Automatic rows** ([`auto`]) are derived from the market's records — posts published in
//!   it, registrations, verified profiles and check-ins of its workers, engagement steps on its
//!   posts — while their day is open, and stored when it is closed. They point to their record
//!   (`source_ref`) and carry names masked, never in clear.
//! - **Daily close** ([`close`]): per market, ledger and day, the rows (automatic ones
//!   materialised, with the manual ones) are counted and hashed (sha256 of their canonical
//!   serialisation, [`content_hash`]); the close and the audit entry `ledger.close` carrying the
//!   hashes commit in one transaction. A future day cannot be closed; a closed day takes no
//!   more rows (409 `ledger_closed`). An empty ledger closes as "none" (0 rows). A day is
//!   **kept** when all five ledgers are closed ([`kept_days`], [`calendar`]).
//!
//! **Records that arrive after their day was closed (日结后补记).** A record belongs to the
//! China day it happened. If that day is already closed and the record is not among the day's
//! stored rows (a post published after the clerk closed today, a profile whose home market
//! changed later), it is carried to the **next open day** of that ledger — the first day after
//! its own that is not closed — and shown there marked `late` (日结后补记); it is stored with
//! that day when that day is closed. Each record is stored at most once per market and ledger
//! (a unique index on `source_ref`), so nothing is counted twice and nothing is lost. Records
//! are looked for up to [`LATE_WINDOW_DAYS`] days back through a run of closed days.

mod auto;
mod kinds;
pub mod xlsx;

use std::collections::{BTreeMap, HashSet};

use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

pub use auto::{Source, day_start, sources};
pub use kinds::{
    CHANNELS, COMMON_HEADERS, Column, ColumnType, Kind, Manual, ManualInput, check_manual,
    parse_kind,
};

use crate::authz::Actor;
use crate::error::ApiError;
use crate::store::Store;
use crate::store::audit::AuditEvent;
use crate::store::ledgers::{self as rows, CloseRow, LedgerRow};
use crate::tenants::Tenant;

/// How many days one listing or export may span.
pub const MAX_RANGE_DAYS: i64 = 92;
/// How far back (through closed days) a record that arrived after its day closed is looked for.
pub const LATE_WINDOW_DAYS: i64 = 92;
/// The handler of automatic rows.
pub const SYSTEM: &str = "system";

/// A row as the API and the pages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowView {
    /// The stored row's id; `None` for an automatic row of an open day (derived live, stored
    /// when the day is closed).
    pub id: Option<String>,
    /// The ledger day.
    pub day: String,
    /// 数据来源: `auto` or `manual`.
    pub source: String,
    /// The record an automatic row comes from (`job:<id>`, `engagement:<id>`, …).
    pub source_ref: Option<String>,
    /// Recorded after its own day was closed (日结后补记).
    pub late: bool,
    /// The ledger's columns by key (names masked).
    #[schema(value_type = Object)]
    pub fields: BTreeMap<String, Value>,
    /// 经办人.
    pub handler: String,
    /// 经办机构: the market.
    pub office: String,
    /// 经办时间 (UTC text timestamp).
    pub handled_at: String,
    /// The referral this result slip follows.
    pub follows: Option<String>,
    /// The row this row corrects.
    pub corrects: Option<String>,
}

impl RowView {
    /// The note column: late, correction, result slip.
    pub fn note(&self) -> String {
        let mut parts = Vec::new();
        if self.late {
            parts.push("日结后补记".to_string());
        }
        if let Some(c) = &self.corrects {
            parts.push(format!("更正 {}", short(c)));
        }
        if let Some(f) = &self.follows {
            parts.push(format!("回执 {}", short(f)));
        }
        parts.join(";")
    }

    /// 自动 or 手工.
    pub fn source_zh(&self) -> &'static str {
        if self.source == "auto" { "自动" } else { "手工" }
    }

    /// A column's value as text.
    pub fn text(&self, key: &str) -> String {
        match self.fields.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        }
    }
}

/// A stored time in China's time, as ledgers show 经办时间: `2026-12-03 14:05`.
pub fn local_time(stored: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stored).map_or_else(
        |_| stored.to_string(),
        |t| t.with_timezone(&crate::clock::china()).format("%Y-%m-%d %H:%M").to_string(),
    )
}

/// The first 8 characters of an id, as notes show it.
pub fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// A closed ledger day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CloseView {
    /// The ledger.
    pub kind: String,
    /// The day.
    pub day: String,
    /// How many rows it had.
    pub row_count: i64,
    /// Closed with no rows (无).
    pub none: bool,
    /// sha256 of the day's rows, canonical serialisation, hex.
    pub content_hash: String,
    /// When (UTC text timestamp).
    pub closed_at: String,
}

impl From<&CloseRow> for CloseView {
    fn from(c: &CloseRow) -> Self {
        CloseView {
            kind: c.kind.clone(),
            day: c.day.clone(),
            row_count: c.row_count,
            none: c.row_count == 0,
            content_hash: c.content_hash.clone(),
            closed_at: c.closed_at.clone(),
        }
    }
}

/// A day of a ledger.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayView {
    /// The day.
    pub day: String,
    /// Whether it is closed.
    pub closed: bool,
    /// Its close, when closed.
    pub close: Option<CloseView>,
    /// Its rows, oldest first.
    pub rows: Vec<RowView>,
}

/// A column as listed with a ledger.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ColumnView {
    /// The key in `fields` and in a manual row.
    pub key: String,
    /// The Chinese header.
    pub header: String,
    /// Whether a manual row must give it.
    pub required: bool,
}

/// A market's ledger over a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Ledger {
    /// The market's code.
    pub tenant: String,
    /// The market's name.
    pub market: String,
    /// The ledger (`policy-outreach`, …).
    pub kind: String,
    /// Its Chinese name.
    pub name: String,
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// The ledger's own columns (the date and the standard's handling columns come around them).
    pub columns: Vec<ColumnView>,
    /// Every day of the period, oldest first.
    pub days: Vec<DayView>,
}

impl Ledger {
    /// Every row of the period, oldest day first.
    pub fn rows(&self) -> impl Iterator<Item = &RowView> {
        self.days.iter().flat_map(|d| d.rows.iter())
    }
}

fn invalid(code: &'static str, field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request(code, zh, en).with_field(field)
}

fn conflict(code: &'static str, field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, code, zh, en).with_field(field)
}

fn future(field: &str) -> ApiError {
    invalid("future_date", field, "不能选择今天以后的日期", "the date cannot be after today")
}

/// The period `from`..=`to` as asked (each `YYYY-MM-DD`; `to` defaults to today, `from` to
/// `to`): not after today, in order, at most [`MAX_RANGE_DAYS`] days.
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), ApiError> {
    fn blank(s: Option<&str>) -> Option<&str> {
        s.map(str::trim).filter(|s| !s.is_empty())
    }
    let to = match blank(to) {
        Some(s) => crate::clock::parse_day(s, "to")?,
        None => today,
    };
    let from = match blank(from) {
        Some(s) => crate::clock::parse_day(s, "from")?,
        None => to,
    };
    if to > today {
        return Err(future("to"));
    }
    if from > to {
        return Err(invalid(
            "invalid_period",
            "from",
            "开始日期不能晚于结束日期",
            "from is after to",
        ));
    }
    if (to - from).num_days() >= MAX_RANGE_DAYS {
        return Err(invalid(
            "period_too_long",
            "from",
            "一次最多查询92天",
            "a period spans at most 92 days",
        ));
    }
    Ok((from, to))
}

fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

/// The automatic rows of `kind` that belong on days `from`..=`to` (each with its day and
/// whether it is late), given the ledger's closed days: a record on an open day stays there; a
/// record of a closed day that the day did not store goes to the next open day (see the module
/// doc). Records already stored are left out.
async fn carried(
    store: &Store,
    tenant: &str,
    kind: Kind,
    from: NaiveDate,
    to: NaiveDate,
    closed: &HashSet<NaiveDate>,
) -> Result<Vec<(NaiveDate, bool, Source)>, ApiError> {
    if !kind.has_auto_rows() {
        return Ok(Vec::new());
    }
    let today = store.clock().today();
    let limit = from - chrono::Duration::days(LATE_WINDOW_DAYS);
    let mut earliest = from;
    while earliest > limit && closed.contains(&(earliest - chrono::Duration::days(1))) {
        earliest -= chrono::Duration::days(1);
    }
    let found = sources(store, tenant, kind, earliest, to).await?;
    let refs: Vec<String> = found.iter().map(|s| s.source_ref.clone()).collect();
    let stored: HashSet<String> =
        store.ledger_stored_refs(tenant, kind.as_str(), &refs).await?.into_iter().collect();
    let mut out = Vec::new();
    for s in found {
        if stored.contains(&s.source_ref) {
            continue;
        }
        let (mut day, late) = (s.day, closed.contains(&s.day));
        while closed.contains(&day) {
            day += chrono::Duration::days(1);
        }
        if day >= from && day <= to && day <= today {
            out.push((day, late, s));
        }
    }
    Ok(out)
}

fn view_of(r: &LedgerRow, office: &str) -> Result<RowView, ApiError> {
    Ok(RowView {
        id: Some(r.id.clone()),
        day: r.day.clone(),
        source: r.source.clone(),
        source_ref: r.source_ref.clone(),
        late: r.late == 1,
        fields: serde_json::from_str(&r.fields).map_err(ApiError::internal)?,
        handler: r.handler.clone(),
        office: office.to_string(),
        handled_at: r.handled_at.clone(),
        follows: r.follows.clone(),
        corrects: r.corrects.clone(),
    })
}

fn derived_view(day: NaiveDate, late: bool, s: &Source, office: &str) -> RowView {
    RowView {
        id: None,
        day: day.to_string(),
        source: "auto".into(),
        source_ref: Some(s.source_ref.clone()),
        late,
        fields: s.fields.clone(),
        handler: "系统".into(),
        office: office.to_string(),
        handled_at: s.at.clone(),
        follows: None,
        corrects: None,
    }
}

/// A market's ledger of `kind` for days `from`..=`to` (see [`period`]): each day with whether
/// it is closed; a closed day's rows as stored, an open day's manual rows with its automatic
/// rows derived now.
pub async fn ledger(
    store: &Store,
    tenant: &Tenant,
    kind: Kind,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Ledger, ApiError> {
    let code = tenant.code.as_str();
    let lookback = from - chrono::Duration::days(LATE_WINDOW_DAYS);
    let closes: BTreeMap<NaiveDate, CloseRow> = store
        .ledger_closes(code, &lookback.to_string(), &to.to_string())
        .await?
        .into_iter()
        .filter(|c| c.kind == kind.as_str())
        .filter_map(|c| Some((crate::clock::parse_date(&c.day)?, c)))
        .collect();
    let closed: HashSet<NaiveDate> = closes.keys().copied().collect();
    let stored = store.ledger_rows(code, kind.as_str(), &from.to_string(), &to.to_string()).await?;
    let derived = carried(store, code, kind, from, to, &closed).await?;
    let mut out = Vec::new();
    for day in days(from, to) {
        let text = day.to_string();
        let mut rows = Vec::new();
        for r in stored.iter().filter(|r| r.day == text) {
            rows.push(view_of(r, &tenant.name)?);
        }
        if !closed.contains(&day) {
            rows.extend(
                derived
                    .iter()
                    .filter(|(d, _, _)| *d == day)
                    .map(|(d, late, s)| derived_view(*d, *late, s, &tenant.name)),
            );
        }
        rows.sort_by(|a, b| a.handled_at.cmp(&b.handled_at).then_with(|| a.id.cmp(&b.id)));
        let close = closes.get(&day).map(CloseView::from);
        out.push(DayView { day: text, closed: close.is_some(), close, rows });
    }
    Ok(Ledger {
        tenant: code.to_string(),
        market: tenant.name.clone(),
        kind: kind.as_str().to_string(),
        name: kind.name_zh().to_string(),
        from: from.to_string(),
        to: to.to_string(),
        columns: kind
            .columns()
            .iter()
            .map(|c| ColumnView {
                key: c.key.to_string(),
                header: c.header.to_string(),
                required: c.manual == Manual::Required,
            })
            .collect(),
        days: out,
    })
}

/// All five ledgers of a market for a period.
pub async fn ledgers(
    store: &Store,
    tenant: &Tenant,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Ledger>, ApiError> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        out.push(ledger(store, tenant, kind, from, to).await?);
    }
    Ok(out)
}

/// 经办人 as a row shows it: the staff member's role and account (staff accounts carry no name).
fn handler_label(actor: &Actor) -> String {
    if actor.id == "admin-token" {
        return "系统管理员".into();
    }
    if actor.id.starts_with("system") {
        return "系统".into();
    }
    format!("{} {}", actor.kind.name_zh(), short(&actor.id))
}

fn row_not_found(field: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "row_not_found",
        "本台账中没有这条记录",
        "no such row in this market's ledger",
    )
    .with_field(field)
}

fn closed_error() -> ApiError {
    conflict(
        "ledger_closed",
        "date",
        "该日台账已日结,不能再添加;如需更正,请在未日结的日期登记更正记录",
        "this ledger day is closed; add a correction dated an open day instead",
    )
}

/// Add a manual row to a market's ledger as `actor` (its staff): checked (see
/// [`check_manual`]), the rows it points to looked up in the same market and ledger, refused
/// when its day is closed (409 `ledger_closed`), stored and audited in one transaction.
pub async fn add_row(
    store: &Store,
    tenant: &Tenant,
    kind: Kind,
    actor: &Actor,
    input: &BTreeMap<String, Value>,
) -> Result<RowView, ApiError> {
    let today = store.clock().today();
    let checked = check_manual(kind, input, today)?;
    let code = tenant.code.as_str();
    if let Some(id) = &checked.corrects
        && store.ledger_row(code, kind.as_str(), id).await?.is_none()
    {
        return Err(row_not_found("corrects"));
    }
    if let Some(id) = &checked.follows {
        let referral = store.ledger_row(code, kind.as_str(), id).await?;
        let is_referral = referral.is_some_and(|r| {
            r.source == "manual" && r.follows.is_none() && r.fields.contains("现场推荐")
        });
        if !is_referral {
            return Err(row_not_found("follows"));
        }
    }
    let now = store.now();
    let row = LedgerRow {
        id: uuid::Uuid::now_v7().to_string(),
        tenant_code: code.to_string(),
        kind: kind.as_str().to_string(),
        day: checked.day.to_string(),
        source: "manual".into(),
        source_ref: None,
        late: 0,
        fields: serde_json::to_string(&checked.fields).map_err(ApiError::internal)?,
        handler_id: actor.id.clone(),
        handler: handler_label(actor),
        handled_at: now.clone(),
        follows: checked.follows.clone(),
        corrects: checked.corrects.clone(),
        created_at: now,
    };
    let mut tx = store.begin().await?;
    rows::lock_day(&mut tx, code, &row.day).await?;
    if rows::close_in(&mut tx, code, &row.kind, &row.day).await?.is_some() {
        tx.rollback().await?;
        return Err(closed_error());
    }
    rows::insert_row(&mut tx, &row).await?;
    let detail = serde_json::json!({"kind": row.kind, "day": row.day, "corrects": row.corrects, "follows": row.follows});
    let audit = AuditEvent {
        actor: &actor.id,
        tenant_code: Some(code),
        action: "ledger.row",
        target: Some(&row.id),
        detail,
    };
    store.audit_in(&mut tx, &audit).await?;
    tx.commit().await?;
    view_of(&row, &tenant.name)
}

/// The canonical serialisation of a day's rows, hashed: the rows in id order, each as a JSON
/// object with a fixed field order and its fields as stored; sha256, hex.
pub fn content_hash(rows: &[LedgerRow]) -> String {
    #[derive(Serialize)]
    struct Canonical<'a> {
        id: &'a str,
        tenant: &'a str,
        kind: &'a str,
        day: &'a str,
        source: &'a str,
        source_ref: Option<&'a str>,
        late: i64,
        fields: &'a str,
        handler_id: &'a str,
        handler: &'a str,
        handled_at: &'a str,
        follows: Option<&'a str>,
        corrects: Option<&'a str>,
        created_at: &'a str,
    }
    let mut sorted: Vec<&LedgerRow> = rows.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let canonical: Vec<Canonical> = sorted
        .iter()
        .map(|r| Canonical {
            id: &r.id,
            tenant: &r.tenant_code,
            kind: &r.kind,
            day: &r.day,
            source: &r.source,
            source_ref: r.source_ref.as_deref(),
            late: r.late,
            fields: &r.fields,
            handler_id: &r.handler_id,
            handler: &r.handler,
            handled_at: &r.handled_at,
            follows: r.follows.as_deref(),
            corrects: r.corrects.as_deref(),
            created_at: &r.created_at,
        })
        .collect();
    let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
    hex::encode(Sha256::digest(bytes))
}

/// Close (日结) a market's ledgers for `date` by `by` (an account id, or `system:…`): all five
/// or only `kind`. Those already closed are left as they are; if all asked for are closed,
/// 409 `already_closed`. A future date is refused. For each ledger closed, the day's
/// automatic rows are stored, then every row of the day is counted and hashed, and the close
/// is recorded; the audit entry `ledger.close` carries the hashes. One transaction.
pub async fn close(
    store: &Store,
    tenant: &Tenant,
    date: &str,
    kind: Option<&str>,
    by: &str,
) -> Result<Vec<CloseView>, ApiError> {
    let day = crate::clock::parse_day(date.trim(), "date")?;
    if day > store.clock().today() {
        return Err(invalid(
            "future_date",
            "date",
            "不能对今天以后的日期日结",
            "a day after today cannot be closed",
        ));
    }
    let kinds: Vec<Kind> = match kind.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => vec![parse_kind(k)?],
        None => Kind::ALL.to_vec(),
    };
    let code = tenant.code.as_str();
    let text = day.to_string();
    let lookback = day - chrono::Duration::days(LATE_WINDOW_DAYS);
    let closes = store.ledger_closes(code, &lookback.to_string(), &text).await?;
    let already = |k: Kind| closes.iter().any(|c| c.kind == k.as_str() && c.day == text);
    let open: Vec<Kind> = kinds.into_iter().filter(|k| !already(*k)).collect();
    if open.is_empty() {
        return Err(conflict(
            "already_closed",
            "date",
            "该日台账已日结",
            "this ledger day is already closed",
        ));
    }
    let now = store.now();
    let mut auto_rows = Vec::new();
    for k in &open {
        let closed: HashSet<NaiveDate> = closes
            .iter()
            .filter(|c| c.kind == k.as_str())
            .filter_map(|c| crate::clock::parse_date(&c.day))
            .collect();
        for (_, late, s) in carried(store, code, *k, day, day, &closed).await? {
            auto_rows.push(LedgerRow {
                id: uuid::Uuid::now_v7().to_string(),
                tenant_code: code.to_string(),
                kind: k.as_str().to_string(),
                day: text.clone(),
                source: "auto".into(),
                source_ref: Some(s.source_ref.clone()),
                late: i64::from(late),
                fields: serde_json::to_string(&s.fields).map_err(ApiError::internal)?,
                handler_id: SYSTEM.into(),
                handler: "系统".into(),
                handled_at: s.at.clone(),
                follows: None,
                corrects: None,
                created_at: now.clone(),
            });
        }
    }
    let mut tx = store.begin().await?;
    rows::lock_day(&mut tx, code, &text).await?;
    let mut done = Vec::new();
    for k in &open {
        if rows::close_in(&mut tx, code, k.as_str(), &text).await?.is_some() {
            tx.rollback().await?;
            return Err(conflict(
                "already_closed",
                "date",
                "该日台账刚被他人日结,请刷新",
                "this ledger day was closed meanwhile; reload",
            ));
        }
        for r in auto_rows.iter().filter(|r| r.kind == k.as_str()) {
            rows::insert_row(&mut tx, r).await?;
        }
        let day_rows = rows::day_rows_in(&mut tx, code, k.as_str(), &text).await?;
        let c = CloseRow {
            tenant_code: code.to_string(),
            kind: k.as_str().to_string(),
            day: text.clone(),
            row_count: day_rows.len() as i64,
            content_hash: content_hash(&day_rows),
            closed_by: by.to_string(),
            closed_at: now.clone(),
        };
        rows::insert_close(&mut tx, &c).await?;
        done.push(c);
    }
    let hashes: Vec<Value> = done
        .iter()
        .map(|c| serde_json::json!({"kind": c.kind, "rows": c.row_count, "hash": c.content_hash}))
        .collect();
    let audit = AuditEvent {
        actor: by,
        tenant_code: Some(code),
        action: "ledger.close",
        target: Some(&text),
        detail: serde_json::json!({"date": text, "ledgers": hashes}),
    };
    store.audit_in(&mut tx, &audit).await?;
    tx.commit().await?;
    Ok(done.iter().map(CloseView::from).collect())
}

/// How many days of `from`..=`to` each market kept (all five ledgers closed), for the period
/// figures (`ledger-days`). Every market asked for is in the answer, 0 when it kept none.
pub async fn kept_days(
    store: &Store,
    tenants: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<String, i64>, ApiError> {
    let closes = store.ledger_closes_of(tenants, &from.to_string(), &to.to_string()).await?;
    let mut per_day: BTreeMap<(String, String), usize> = BTreeMap::new();
    for c in closes {
        if Kind::parse(&c.kind).is_some() {
            *per_day.entry((c.tenant_code, c.day)).or_default() += 1;
        }
    }
    let mut out: BTreeMap<String, i64> = tenants.iter().map(|t| (t.clone(), 0)).collect();
    for ((tenant, _), n) in per_day {
        if n == Kind::ALL.len() {
            *out.entry(tenant).or_default() += 1;
        }
    }
    Ok(out)
}

/// A market's day in the calendar.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarDay {
    /// The day.
    pub day: String,
    /// `kept` (all five closed), `partial` (some closed) or `none` (none closed).
    pub status: String,
    /// The ledgers still open on a partial day.
    pub open: Vec<String>,
    /// After today.
    pub future: bool,
}

/// A market's row in the calendar.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarMarket {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// How many days of the month it kept.
    pub kept: i64,
    /// Every day of the month.
    pub days: Vec<CalendarDay>,
}

/// Which markets kept which days of a month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Calendar {
    /// `YYYY-MM`.
    pub month: String,
    /// The market the calendar is about (with every market under it).
    pub tenant: String,
    /// The markets, the asked one first, then the tree below it.
    pub markets: Vec<CalendarMarket>,
}

/// The month spelt `YYYY-MM` (default: this month), as its first and last day.
pub fn month(raw: Option<&str>, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let first = match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => today.with_day(1).unwrap_or(today),
        Some(s) => crate::clock::parse_date(&format!("{s}-01"))
            .filter(|_| s.len() == 7)
            .ok_or_else(|| {
                invalid("invalid_month", "month", "月份格式应为 YYYY-MM", "month must be YYYY-MM")
            })?,
    };
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    let last = next.map_or(first, |n| n - chrono::Duration::days(1));
    Ok((first, last))
}

/// `root` and every market under it, the root first, then depth first by code.
pub fn subtree(tenants: &[Tenant], root: &str) -> Vec<Tenant> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_string()];
    while let Some(code) = stack.pop() {
        if let Some(t) = tenants.iter().find(|t| t.code == code) {
            out.push(t.clone());
            let mut children: Vec<String> = tenants
                .iter()
                .filter(|c| c.parent.as_deref() == Some(code.as_str()))
                .map(|c| c.code.clone())
                .collect();
            children.sort();
            children.reverse();
            stack.extend(children);
        }
    }
    out
}

/// The calendar of `root` and the markets under it for `month` (`YYYY-MM`): per market and
/// day, kept, partial (with the ledgers still open) or none.
pub async fn calendar(
    store: &Store,
    root: &str,
    month_raw: Option<&str>,
) -> Result<Calendar, ApiError> {
    let today = store.clock().today();
    let (first, last) = month(month_raw, today)?;
    let tenants = store.list_tenants().await?;
    let markets = subtree(&tenants, root);
    let codes: Vec<String> = markets.iter().map(|t| t.code.clone()).collect();
    let closes = store.ledger_closes_of(&codes, &first.to_string(), &last.to_string()).await?;
    let mut out = Vec::new();
    for t in markets {
        let mut kept = 0;
        let mut days_out = Vec::new();
        for day in days(first, last) {
            let text = day.to_string();
            let closed: Vec<&str> = closes
                .iter()
                .filter(|c| c.tenant_code == t.code && c.day == text)
                .map(|c| c.kind.as_str())
                .collect();
            let open: Vec<String> = Kind::ALL
                .iter()
                .filter(|k| !closed.contains(&k.as_str()))
                .map(|k| k.as_str().to_string())
                .collect();
            let status = if open.is_empty() {
                kept += 1;
                "kept"
            } else if open.len() == Kind::ALL.len() {
                "none"
            } else {
                "partial"
            };
            let open = if status == "partial" { open } else { Vec::new() };
            days_out.push(CalendarDay {
                day: text,
                status: status.into(),
                open,
                future: day > today,
            });
        }
        out.push(CalendarMarket { code: t.code, name: t.name, kept, days: days_out });
    }
    Ok(Calendar {
        month: format!("{:04}-{:02}", first.year(), first.month()),
        tenant: root.to_string(),
        markets: out,
    })
}

/// The market whose calendar `actor` asks for: `tenant` if given (the caller must be allowed
/// to read ledgers there; 403 otherwise, 404 for an unknown market), else the caller's own.
pub async fn calendar_root(
    store: &Store,
    authz: &crate::authz::Authz,
    actor: &Actor,
    tenant: Option<&str>,
) -> Result<String, ApiError> {
    let tenants = store.list_tenants().await?;
    let Some(code) = tenant.map(str::trim).filter(|t| !t.is_empty()) else {
        let home = actor.home.clone().unwrap_or_default();
        return Ok(home.rsplit('/').next().unwrap_or_default().to_string());
    };
    let path = crate::authz::path_of(code, &tenants).ok_or_else(|| {
        ApiError::not_found("tenant_not_found", "没有这个市场", "no such market")
            .with_field("tenant")
    })?;
    if !authz.check(actor, &path, "ledgers", "read").await? {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权查看该市场的台账",
            "not allowed to read this market's ledgers",
        ));
    }
    Ok(code.to_string())
}

/// The demo's ledgers (`gigmarket demo`): for 兰考县 and its 兰阳街道 station, the last seven
/// days closed with a few manual rows, so the calendar shows kept days. Skips what is there.
pub async fn seed_demo(store: &Store) -> anyhow::Result<()> {
    let today = store.clock().today();
    let by = "system:demo";
    let demo_actor =
        Actor { id: by.into(), kind: crate::accounts::AccountKind::StationStaff, home: None };
    for code in ["lankao", "lankao-lanyang"] {
        let Some(tenant) = store.get_tenant(code).await? else { continue };
        for back in (1..=7).rev() {
            let day = today - chrono::Duration::days(back);
            let text = day.to_string();
            if !store.ledger_closes(code, &text, &text).await?.is_empty() {
                continue;
            }
            if back % 3 == 1 {
                let outreach = serde_json::json!({"date": text, "place": format!("{}服务大厅", tenant.name),
                    "topic": "灵活就业人员参保与零工保障政策", "documents": "《河南省零工市场建设指引》",
                    "audience": 20 + back, "staff": "王芳、李明"});
                add_row(store, &tenant, Kind::PolicyOutreach, &demo_actor, &as_map(outreach))
                    .await?;
                let liaison = serde_json::json!({"date": text, "officer": "刘强", "unit": "兰考县示例物流有限公司",
                    "uscc": "91350100M000100Y43", "needs": "旺季需装卸工10人", "follow_up": "已推送至零工市场岗位库"});
                add_row(store, &tenant, Kind::EmployerLiaison, &demo_actor, &as_map(liaison))
                    .await?;
            }
            close(store, &tenant, &text, None, by).await?;
        }
        let walk_in =
            serde_json::json!({"person": "周师傅", "occupation": "电工", "note": "现场咨询求职"});
        let today_rows = ledger(store, &tenant, Kind::LabourSupply, today, today).await?;
        if !today_rows.rows().any(|r| r.source == "manual") {
            add_row(store, &tenant, Kind::LabourSupply, &demo_actor, &as_map(walk_in)).await?;
        }
    }
    Ok(())
}

fn as_map(v: Value) -> BTreeMap<String, Value> {
    serde_json::from_value(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, fields: &str) -> LedgerRow {
        LedgerRow {
            id: id.into(),
            tenant_code: "lankao".into(),
            kind: "policy-outreach".into(),
            day: "2026-12-03".into(),
            source: "manual".into(),
            source_ref: None,
            late: 0,
            fields: fields.into(),
            handler_id: "a".into(),
            handler: "县级管理员 a".into(),
            handled_at: "2026-12-03T02:00:00.000000Z".into(),
            follows: None,
            corrects: None,
            created_at: "2026-12-03T02:00:00.000000Z".into(),
        }
    }

    /// An install seeded before the ledgers existed gets the `ledgers` permissions from
    /// migration 0017, as a fresh install gets them from `DEFAULT_POLICIES`.
    #[tokio::test]
    async fn an_older_install_gets_the_ledger_permissions_by_migration() {
        use crate::authz::DEFAULT_POLICIES;
        use crate::store::accounts::PolicyChange;
        let dir = tempfile::tempdir().unwrap();
        let url = crate::config::sqlite_url(&dir.path().join("l.db"));
        let store = Store::connect(&url, 2).await.unwrap();
        store.migrate().await.unwrap();
        for (role, object, action) in DEFAULT_POLICIES.iter().filter(|(_, o, _)| *o != "ledgers") {
            let mut tx = store.begin().await.unwrap();
            store
                .change_authz_policy(&mut tx, PolicyChange::Grant, role, object, action)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let before = store.authz_version().await.unwrap();
        let migration = include_str!("../../../migrations/0017_ledgers.sql");
        let grants: Vec<&str> = migration
            .split(';')
            .map(|s| s.trim())
            .filter(|s| {
                s.contains("INSERT INTO authz_policies") || s.starts_with("UPDATE authz_version")
            })
            .collect();
        assert_eq!(grants.len(), 2);
        for sql in &grants {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(store.pool()).await.unwrap();
        }
        let mut have = store.authz_policies().await.unwrap();
        let mut want: Vec<(String, String, String)> = DEFAULT_POLICIES
            .iter()
            .map(|(r, o, a)| (r.to_string(), o.to_string(), a.to_string()))
            .collect();
        have.sort();
        want.sort();
        assert_eq!(have, want);
        assert!(store.authz_version().await.unwrap() > before, "running hosts reload");
    }

    #[test]
    fn the_hash_covers_every_row_and_not_their_order() {
        let (a, b) = (row("01", r#"{"audience":40}"#), row("02", r#"{"audience":12}"#));
        let h = content_hash(&[a.clone(), b.clone()]);
        assert_eq!(h.len(), 64);
        assert_eq!(h, content_hash(&[b.clone(), a.clone()]), "canonical order");
        assert_ne!(h, content_hash(&[a.clone(), row("02", r#"{"audience":13}"#)]), "a field");
        assert_ne!(h, content_hash(std::slice::from_ref(&a)), "a row fewer");
        let mut late = b.clone();
        late.late = 1;
        assert_ne!(h, content_hash(&[a.clone(), late]), "the late flag");
        assert_eq!(content_hash(&[]), hex::encode(Sha256::digest(b"[]")), "none");
    }

    #[test]
    fn periods_are_bounded_and_not_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(period(None, None, today).unwrap(), (today, today));
        let (f, t) = period(Some("2026-11-01"), Some("2026-11-30"), today).unwrap();
        assert_eq!((f.to_string(), t.to_string()), ("2026-11-01".into(), "2026-11-30".into()));
        assert_eq!(period(None, Some("2026-12-05"), today).unwrap_err().code, "future_date");
        assert_eq!(
            period(Some("2026-12-04"), Some("2026-12-01"), today).unwrap_err().field.as_deref(),
            Some("from")
        );
        assert_eq!(period(Some("2026-01-01"), None, today).unwrap_err().code, "period_too_long");
        assert_eq!(period(Some("2026/12/01"), None, today).unwrap_err().code, "invalid_date");
    }

    #[test]
    fn months_run_from_the_first_to_the_last_day() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let (f, l) = month(None, today).unwrap();
        assert_eq!((f.to_string(), l.to_string()), ("2026-12-01".into(), "2026-12-31".into()));
        let (f, l) = month(Some("2028-02"), today).unwrap();
        assert_eq!((f.to_string(), l.to_string()), ("2028-02-01".into(), "2028-02-29".into()));
        assert_eq!(month(Some("2026-2"), today).unwrap_err().field.as_deref(), Some("month"));
        assert!(month(Some("2026-13"), today).is_err());
    }
}
