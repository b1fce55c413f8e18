//! How the rules console shows slots, versions, dry-run diffs and receipts: the domain's records
//! turned into rows of Chinese text for the templates.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::fmt;
use crate::plugins::Slot;
use crate::rules::dry_run::DryRunJob;
use crate::rules::{DryRunReport, ReplayReport, SlotView, Stopped};
use crate::store::rules::{Binding, Decision, PluginRecord};
use crate::tenants::Tenant;

/// A slot's name for people.
pub fn slot_label(slot: Slot) -> &'static str {
    match slot {
        Slot::Naming => "市场命名规范",
        Slot::ServiceCatalog => "服务事项与办事指南",
        Slot::PostingReview => "招聘信息审核",
        Slot::Matching => "人岗匹配",
        Slot::Subsidy => "补贴核算",
        Slot::Evaluation => "市场评估",
    }
}

/// A plugin as people know it: its name and the start of its hash.
fn plugin_label(plugins: &[PluginRecord], hash: &str) -> String {
    let short = &hash[..hash.len().min(12)];
    match plugins.iter().find(|p| p.hash == hash) {
        Some(p) => format!("{} ({short})", p.name),
        None => short.to_string(),
    }
}

/// One version of a market's own binding.
pub struct VersionRow {
    /// Its number.
    pub version: i64,
    /// The plugin's name and short hash.
    pub plugin: String,
    /// `立即生效` or the day.
    pub effective: String,
    /// `生效中`, `待生效` or `已停用`.
    pub state: &'static str,
    /// Why it was made.
    pub note: String,
    /// When it was made.
    pub created: String,
}

/// One slot of a market.
pub struct SlotRow {
    /// The slot's code (`posting-review`).
    pub slot: &'static str,
    /// Its name for people.
    pub label: &'static str,
    /// Where its rule comes from: `本级`, `继承自 开封市零工市场`, or `未配置`.
    pub source: String,
    /// Whether the rule in force is an ancestor's.
    pub inherited: bool,
    /// The plugin in force (name and short hash), or empty.
    pub plugin: String,
    /// The version in force, `第3版`, or empty.
    pub version: String,
    /// Since when it is in force.
    pub effective: String,
    /// The market's own versions, newest first.
    pub history: Vec<VersionRow>,
    /// Its page.
    pub href: String,
}

/// The rows of a market's slots.
pub fn slot_rows(
    code: &str,
    views: &[SlotView],
    tenants: &[Tenant],
    plugins: &[PluginRecord],
    today: NaiveDate,
) -> Vec<SlotRow> {
    let name_of =
        |c: &str| tenants.iter().find(|t| t.code == c).map_or(c.to_string(), |t| t.name.clone());
    views
        .iter()
        .map(|v| {
            let active = v.active.as_ref();
            let source = match active {
                None => "未配置".to_string(),
                Some(a) if v.inherited => format!("继承自 {}", name_of(&a.from_tenant)),
                Some(_) => "本级".to_string(),
            };
            let active_own = active.filter(|_| !v.inherited).map(|a| a.binding.version);
            SlotRow {
                slot: v.slot.as_str(),
                label: slot_label(v.slot),
                source,
                inherited: v.inherited,
                plugin: active
                    .map(|a| plugin_label(plugins, &a.binding.plugin_hash))
                    .unwrap_or_default(),
                version: active.map(|a| format!("第{}版", a.binding.version)).unwrap_or_default(),
                effective: active.map(|a| effective(&a.binding)).unwrap_or_default(),
                history: v
                    .versions
                    .iter()
                    .rev()
                    .map(|b| version_row(b, active_own, plugins, today))
                    .collect(),
                href: format!("/console/{code}/rules/{}", v.slot.as_str()),
            }
        })
        .collect()
}

fn effective(b: &Binding) -> String {
    b.effective_from
        .map_or_else(|| "立即生效".to_string(), |d| format!("{}年{}", d.year(), fmt::day(d)))
}

fn version_row(
    b: &Binding,
    active: Option<i64>,
    plugins: &[PluginRecord],
    today: NaiveDate,
) -> VersionRow {
    let state = if active == Some(b.version) {
        "生效中"
    } else if b.effective_from.is_some_and(|d| d > today) {
        "待生效"
    } else {
        "已停用"
    };
    VersionRow {
        version: b.version,
        plugin: plugin_label(plugins, &b.plugin_hash),
        effective: effective(b),
        state,
        note: b.note.clone().unwrap_or_default(),
        created: fmt::instant(&b.created_at),
    }
}

/// A stored component offered in a form's `<select>`.
pub struct PluginChoice {
    /// Its hash (the submitted value).
    pub hash: String,
    /// Name, short hash and upload day.
    pub label: String,
}

impl PluginChoice {
    /// The stored components implementing `slot`, newest first.
    pub fn of_slot(plugins: &[PluginRecord], slot: Slot) -> Vec<PluginChoice> {
        let mut of_slot: Vec<&PluginRecord> =
            plugins.iter().filter(|p| p.slot == slot.as_str()).collect();
        of_slot.sort_by(|a, b| b.uploaded_at.cmp(&a.uploaded_at));
        of_slot
            .into_iter()
            .map(|p| PluginChoice {
                hash: p.hash.clone(),
                label: format!(
                    "{} · 上传于 {}",
                    plugin_label(plugins, &p.hash),
                    fmt::instant(&p.uploaded_at)
                ),
            })
            .collect()
    }

    /// How a page names the component `hash`.
    pub fn label_of(plugins: &[PluginRecord], hash: &str) -> String {
        plugin_label(plugins, hash)
    }
}

/// One key figure of an outcome, and whether it differs from the other side.
pub struct Figure {
    /// What it is.
    pub label: String,
    /// Its value, for people.
    pub value: String,
    /// It differs from the same figure on the other side of a diff.
    pub changed: bool,
}

/// An outcome's key figures (`rules::key_figures`) as rows, marked where they differ from
/// `other`'s.
pub fn figures(key: &Value, other: Option<&Value>) -> Vec<Figure> {
    let Some(map) = key.as_object() else { return Vec::new() };
    map.iter()
        .map(|(k, v)| Figure {
            label: figure_label(k).to_string(),
            value: figure_value(k, v),
            changed: other.is_some_and(|o| o.get(k) != Some(v)),
        })
        .collect()
}

fn figure_label(key: &str) -> &str {
    match key {
        "decision" => "结论",
        "reasons" => "理由代码",
        "total_cents" => "补贴总额",
        "score" => "得分",
        "grade" => "等级",
        "demonstration_eligible" => "示范市场资格",
        "top" => "前五名候选人(序号)",
        "accepted" => "是否通过",
        "canonical_name" => "规范名称",
        other => other,
    }
}

fn figure_value(key: &str, v: &Value) -> String {
    match (key, v) {
        ("total_cents", Value::Number(n)) => n.as_i64().map_or_else(|| n.to_string(), fmt::yuan),
        ("decision", Value::String(s)) => match s.as_str() {
            "Accept" => "通过",
            "Reject" => "驳回",
            "Hold" => "待人工审核",
            other => other,
        }
        .to_string(),
        (_, Value::Bool(b)) => if *b { "是" } else { "否" }.to_string(),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Array(items)) if items.is_empty() => "无".into(),
        (_, Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join("、"),
        (_, Value::Null) => "—".into(),
        (_, other) => other.to_string(),
    }
}

/// One input of a dry-run: the recorded outcome and the candidate's, side by side.
pub struct ItemRow {
    /// The recorded decision's receipt page.
    pub href: String,
    /// Its id's start.
    pub short: String,
    /// The candidate decided differently.
    pub changed: bool,
    /// The recorded outcome.
    pub before: Vec<Figure>,
    /// The recorded reasons.
    pub before_reasons: Vec<String>,
    /// The candidate's outcome.
    pub after: Vec<Figure>,
    /// The candidate's reasons.
    pub after_reasons: Vec<String>,
    /// The candidate's error code, if it failed on this input.
    pub error: Option<String>,
}

/// A dry-run's report for people.
pub struct ReportView {
    /// Inputs run, of `inputs`.
    pub compared: usize,
    /// Inputs selected.
    pub inputs: usize,
    /// Inputs decided differently.
    pub changed: usize,
    /// Inputs the candidate failed on.
    pub failed: usize,
    /// Why the run stopped early (a partial result), in words.
    pub stopped: Option<&'static str>,
    /// Fuel over all calls.
    pub fuel_used: u64,
    /// Wall-clock milliseconds.
    pub elapsed_ms: u64,
    /// One row per input run, changed ones first.
    pub items: Vec<ItemRow>,
}

impl ReportView {
    /// The view of `report`, run for market `code`.
    pub fn of(code: &str, report: &DryRunReport) -> ReportView {
        let stopped = match report.stopped {
            _ if report.complete => None,
            None => Some("未跑完全部记录"),
            Some(Stopped::TimeBudget) => Some("超出时间预算"),
            Some(Stopped::FuelBudget) => Some("超出燃料(计算量)预算"),
            Some(Stopped::HostOverloaded) => Some("服务器繁忙"),
        };
        let mut items: Vec<ItemRow> = report
            .items
            .iter()
            .map(|i| ItemRow {
                href: format!("/console/{code}/decisions/{}", i.decision_id),
                short: i
                    .decision_id
                    .chars()
                    .rev()
                    .take(8)
                    .collect::<String>()
                    .chars()
                    .rev()
                    .collect(),
                changed: i.changed,
                before: figures(&i.before, Some(&i.after)),
                before_reasons: i.before_reasons.clone(),
                after: figures(&i.after, Some(&i.before)),
                after_reasons: i.after_reasons.clone(),
                error: i.error.clone(),
            })
            .collect();
        items.sort_by_key(|i| !i.changed);
        ReportView {
            compared: report.compared,
            inputs: report.inputs,
            changed: report.changed,
            failed: report.failed,
            stopped,
            fuel_used: report.fuel_used,
            elapsed_ms: report.elapsed_ms,
            items,
        }
    }
}

/// A background dry-run's progress.
pub struct JobView {
    /// The job's page (what htmx polls).
    pub href: String,
    /// Still running.
    pub running: bool,
    /// `运行中`, `已完成`, `失败`, `已中断`.
    pub status: &'static str,
    /// Inputs run.
    pub done: i64,
    /// Inputs to run.
    pub inputs: i64,
    /// Percent done, for the progress bar.
    pub percent: i64,
    /// Why it failed.
    pub error: Option<String>,
}

impl JobView {
    /// The view of `job`, a job of market `code`.
    pub fn of(code: &str, job: &DryRunJob) -> JobView {
        let status = match job.status.as_str() {
            "running" => "运行中",
            "finished" => "已完成",
            "interrupted" => "已中断(服务器重启),请重新运行",
            _ => "失败",
        };
        JobView {
            href: format!("/console/{code}/dry-runs/{}", job.id),
            running: job.status == "running",
            status,
            done: job.done,
            inputs: job.inputs,
            percent: if job.inputs > 0 { job.done * 100 / job.inputs } else { 100 },
            error: job.error.as_deref().map(|e| super::page::zh(e).to_string()),
        }
    }
}

/// A recorded decision in a list or on its receipt.
pub struct DecisionRow {
    /// Its receipt page.
    pub href: String,
    /// Its id.
    pub id: String,
    /// The slot's name.
    pub slot: &'static str,
    /// The plugin that decided.
    pub plugin: String,
    /// What made the call.
    pub source: String,
    /// When.
    pub at: String,
    /// Fuel used.
    pub fuel: i64,
    /// Duration, microseconds.
    pub duration_us: i64,
}

impl DecisionRow {
    /// The row of `d`, seen from market `code`'s console.
    pub fn of(code: &str, d: &Decision, plugins: &[PluginRecord]) -> DecisionRow {
        DecisionRow {
            href: format!("/console/{code}/decisions/{}", d.id),
            id: d.id.clone(),
            slot: Slot::parse(&d.slot).map_or("未知槽位", slot_label),
            plugin: plugin_label(plugins, &d.plugin_hash),
            source: d.source.clone(),
            at: fmt::instant(&d.created_at),
            fuel: d.fuel_used,
            duration_us: d.duration_us,
        }
    }
}

/// A replay's verdict for people.
pub struct ReplayView {
    /// Output and fuel reproduced.
    pub identical: bool,
    /// The output reproduced.
    pub output_identical: bool,
    /// The fuel reproduced.
    pub fuel_identical: bool,
    /// Fuel recorded.
    pub recorded_fuel: u64,
    /// Fuel of the replay.
    pub replayed_fuel: u64,
    /// Why not, as an error code.
    pub error: Option<String>,
}

impl ReplayView {
    /// The view of a replay's report.
    pub fn of(r: &ReplayReport) -> ReplayView {
        ReplayView {
            identical: r.identical,
            output_identical: r.output_identical,
            fuel_identical: r.fuel_identical,
            recorded_fuel: r.recorded_fuel,
            replayed_fuel: r.replayed_fuel,
            error: r.error.clone(),
        }
    }
}
