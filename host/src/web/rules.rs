//! The rules console of a market (`/console/{code}/rules`): the county bureau's and the HR
//! agency's main screen. Each slot with where its rule comes from, its versions and effective
//! dates; uploading a component, dry-running it against the market's recorded decisions with the
//! diff side by side, binding it with an effective date, rolling back; decision receipts with a
//! replay button. Every action calls the same `Rules` function as its JSON route.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::form::{FormErrors, PageForm, PageQuery};
use super::page::{Layout, redirect, render};
use super::rules_view::{
    DecisionRow, Figure, JobView, PluginChoice, ReplayView, ReportView, SlotRow, figures,
    slot_label, slot_rows,
};
use super::{PageCtx, PageError};
use crate::api::AppState;
use crate::error::ApiError;
use crate::plugins::Slot;
use crate::rules::dry_run::{Candidate, MAX_IN_REQUEST};
use crate::rules::{Activation, slot_named};
use crate::tenants::Tenant;

/// The largest upload the form route reads (the CSRF guard's bound); the domain refuses a
/// component over the runtime's own limit with `plugin_too_large`.
const UPLOAD_BYTES: usize = 64 << 20;
/// How many recent decisions the rules page lists.
const RECENT: i64 = 20;

/// The rules console's routes (each is also in `authz::routes::ROUTES`).
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/console/{code}/rules", get(overview))
        .route("/console/{code}/plugins", post(upload).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/console/{code}/rules/{slot}", get(slot_page).post(bind))
        .route("/console/{code}/rules/{slot}/rollback", post(rollback))
        .route("/console/{code}/rules/{slot}/dry-run", post(dry_run))
        .route("/console/{code}/dry-runs/{id}", get(dry_run_job))
        .route("/console/{code}/decisions/{id}", get(decision))
        .route("/console/{code}/decisions/{id}/replay", post(replay))
}

#[derive(Template)]
#[template(path = "rules.html")]
struct RulesPage {
    layout: Layout,
    code: String,
    market: String,
    slots: Vec<SlotRow>,
    decisions: Vec<DecisionRow>,
    can_upload: bool,
    name: String,
    errors: FormErrors,
}

/// `GET /console/{code}/rules`
async fn overview(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let tenant = crate::tenants::load(&state.store, &code).await?;
    overview_page(&state, &ctx, &tenant, String::new(), FormErrors::none(), StatusCode::OK).await
}

/// What both rules pages read: the tree, the uploaded plugins, and the market's slots as rows.
struct Slots {
    tenants: Vec<Tenant>,
    plugins: Vec<crate::store::rules::PluginRecord>,
    rows: Vec<SlotRow>,
}

async fn market_slots(state: &AppState, tenant: &Tenant) -> Result<Slots, ApiError> {
    let tenants = state.store.list_tenants().await?;
    let plugins = state.store.list_plugins().await?;
    let views = state.rules.slots(tenant).await?;
    let rows = slot_rows(&tenant.code, &views, &tenants, &plugins, state.rules.clock().today());
    Ok(Slots { tenants, plugins, rows })
}

async fn overview_page(
    state: &AppState,
    ctx: &PageCtx,
    tenant: &Tenant,
    name: String,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let Slots { tenants, plugins, rows } = market_slots(state, tenant).await?;
    let recent = state.rules.recent_decisions(&tenant.code, RECENT).await?;
    let path = crate::authz::path_of(&tenant.code, &tenants).unwrap_or_default();
    let can_upload = state.authz.allowed(ctx.actor()?, &path, "plugins", "write").await;
    let page = RulesPage {
        layout: ctx.wide_layout(&format!("{} · 规则", tenant.name)),
        code: tenant.code.clone(),
        market: tenant.name.clone(),
        slots: rows,
        decisions: recent.iter().map(|d| DecisionRow::of(&tenant.code, d, &plugins)).collect(),
        can_upload,
        name,
        errors,
    };
    render(status, &page)
}

/// `POST /console/{code}/plugins` (multipart: `csrf_token` first, then `name` and `file`).
async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let by = ctx.actor()?.id.clone();
    let tenant = crate::tenants::load(&state.store, &code).await?;
    let (name, file) = match multipart {
        Ok(form) => read_upload(form).await,
        Err(e) => (
            String::new(),
            Err(ApiError::bad_request("invalid_form", "表单内容不完整或格式错误", &e.body_text())),
        ),
    };
    let result = match file {
        Ok(bytes) => state.rules.upload(bytes, Some(&name), &by).await,
        Err(e) => Err(e),
    };
    match result {
        Ok((plugin, new)) => {
            let to =
                format!("/console/{code}/rules/{}?uploaded={}&new={new}", plugin.slot, plugin.hash);
            Ok(redirect(&to))
        }
        Err(err) => {
            let status = err.status;
            let err = if err.field.is_none() { err.with_field("file") } else { err };
            let errors = FormErrors::from_error(&err).shown_in(&["file", "name"]);
            overview_page(&state, &ctx, &tenant, name, errors, status).await
        }
    }
}

/// The upload form's `name` and the file's bytes (or why there are none).
async fn read_upload(mut form: Multipart) -> (String, Result<Vec<u8>, ApiError>) {
    let (mut name, mut file) = (String::new(), None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return (name, Err(unreadable(e))),
        };
        match field.name() {
            Some("name") => name = field.text().await.unwrap_or_default(),
            Some("file") => match field.bytes().await {
                Ok(bytes) => file = Some(bytes.to_vec()),
                Err(e) => return (name, Err(unreadable(e))),
            },
            _ => {}
        }
    }
    let file = file.filter(|f| !f.is_empty()).ok_or_else(|| {
        ApiError::bad_request(
            "file_missing",
            "请选择要上传的组件文件(.wasm)",
            "choose a component file",
        )
        .with_field("file")
    });
    (name, file)
}

fn unreadable(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(e.status(), "plugin_too_large", "插件文件过大", "the component is too large")
    } else {
        ApiError::bad_request("invalid_form", "无法读取上传内容", &e.body_text())
    }
    .with_field("file")
}

#[derive(Template)]
#[template(path = "rules_slot.html")]
struct SlotPage {
    layout: Layout,
    code: String,
    market: String,
    row: SlotRow,
    choices: Vec<PluginChoice>,
    notice: Option<String>,
    bind: BindForm,
    bind_errors: FormErrors,
    dry: DryRunForm,
    dry_errors: FormErrors,
    rollback_errors: FormErrors,
}

/// What a slot page was reached with after an action (`?uploaded=`, `?bound=`, `?rolled=`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Done {
    uploaded: String,
    new: String,
    bound: String,
    rolled: String,
}

/// The bind form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct BindForm {
    /// sha256 of the component to bind.
    pub plugin: String,
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    /// The configuration, JSON object text (blank: `{}`).
    pub config: String,
    /// Why.
    pub note: String,
}

/// The dry-run form, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct DryRunForm {
    /// sha256 of the candidate.
    pub plugin: String,
    /// How many recorded decisions (blank: 50).
    pub limit: String,
}

/// The rollback form: the version to restore (blank: the one before the version in force).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RollbackForm {
    /// A version number, or blank.
    pub to_version: String,
}

/// What a slot page shows besides the slot: the forms as typed and their errors.
#[derive(Default)]
struct SlotForms {
    notice: Option<String>,
    bind: BindForm,
    bind_errors: FormErrors,
    dry: DryRunForm,
    dry_errors: FormErrors,
    rollback_errors: FormErrors,
}

/// `GET /console/{code}/rules/{slot}`
async fn slot_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, slot)): Path<(String, String)>,
    PageQuery(done): PageQuery<Done>,
) -> Result<Response, PageError> {
    let (tenant, slot) = (crate::tenants::load(&state.store, &code).await?, slot_named(&slot)?);
    let mut forms = default_forms(&state);
    if !done.uploaded.is_empty() {
        forms.bind.plugin = done.uploaded.clone();
        forms.dry.plugin = done.uploaded;
        forms.notice = Some(if done.new == "true" {
            "组件已上传,可先试运行再绑定".into()
        } else {
            "该组件此前已上传过,可直接试运行或绑定".into()
        });
    } else if !done.bound.is_empty() {
        forms.notice = Some(format!("已保存为第{}版", done.bound));
    } else if !done.rolled.is_empty() {
        forms.notice = Some(format!("已回滚,新版本为第{}版,立即生效", done.rolled));
    }
    render_slot(&state, &ctx, &tenant, slot, forms, StatusCode::OK).await
}

async fn render_slot(
    state: &AppState,
    ctx: &PageCtx,
    tenant: &Tenant,
    slot: Slot,
    forms: SlotForms,
    status: StatusCode,
) -> Result<Response, PageError> {
    let Slots { plugins, rows, .. } = market_slots(state, tenant).await?;
    let row = rows
        .into_iter()
        .find(|r| r.slot == slot.as_str())
        .ok_or_else(|| ApiError::internal("a slot without its row"))?;
    let choices = PluginChoice::of_slot(&plugins, slot);
    let page = SlotPage {
        layout: ctx.wide_layout(&format!("{} · {}", tenant.name, slot_label(slot))),
        code: tenant.code.clone(),
        market: tenant.name.clone(),
        row,
        choices,
        notice: forms.notice,
        bind: forms.bind,
        bind_errors: forms.bind_errors,
        dry: forms.dry,
        dry_errors: forms.dry_errors,
        rollback_errors: forms.rollback_errors,
    };
    render(status, &page)
}

/// `POST /console/{code}/rules/{slot}`: a new version of the market's own binding.
async fn bind(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, slot)): Path<(String, String)>,
    PageForm(form): PageForm<BindForm>,
) -> Result<Response, PageError> {
    let by = ctx.actor()?.id.clone();
    let (tenant, slot) = (crate::tenants::load(&state.store, &code).await?, slot_named(&slot)?);
    let result = match activation_of(&form) {
        Ok((day, config)) => {
            let note = Some(form.note.trim()).filter(|n| !n.is_empty());
            let activation = Activation {
                plugin: form.plugin.trim(),
                config: &config,
                effective_from: Some(day),
                note,
            };
            state.rules.bind(&tenant, slot, activation, &by).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(b) => {
            Ok(redirect(&format!("/console/{code}/rules/{}?bound={}", slot.as_str(), b.version)))
        }
        Err(err) => {
            let fields = ["plugin", "effective_from", "config", "note"];
            let bind_errors = FormErrors::from_error(&err).shown_in(&fields);
            let forms = SlotForms { bind: form, bind_errors, ..default_forms(&state) };
            render_slot(&state, &ctx, &tenant, slot, forms, err.status).await
        }
    }
}

/// The forms of a slot page as first shown (today's date, `{}`, the request's limit).
fn default_forms(state: &AppState) -> SlotForms {
    let today = state.rules.clock().today();
    SlotForms {
        bind: BindForm {
            effective_from: today.to_string(),
            config: "{}".into(),
            ..BindForm::default()
        },
        dry: DryRunForm { limit: MAX_IN_REQUEST.to_string(), ..DryRunForm::default() },
        ..SlotForms::default()
    }
}

/// The bind form's date and configuration, or the field that is wrong. The date is required on
/// the page (the form offers today), so a blank one is an error rather than "at once".
fn activation_of(form: &BindForm) -> Result<(chrono::NaiveDate, serde_json::Value), ApiError> {
    if form.plugin.trim().is_empty() {
        return Err(field_error(
            "plugin",
            "plugin_missing",
            "请选择要绑定的插件版本",
            "choose the plugin version to bind",
        ));
    }
    let raw = form.effective_from.trim();
    if raw.is_empty() {
        return Err(field_error(
            "effective_from",
            "invalid_date",
            "请填写生效日期",
            "give the date it takes effect",
        ));
    }
    let day = crate::clock::parse_day(raw, "effective_from").map_err(|_| {
        field_error(
            "effective_from",
            "invalid_date",
            "生效日期应为 2000-01-01 至 2100-12-31 之间的日期,格式 YYYY-MM-DD",
            "effective_from: a date from 2000-01-01 to 2100-12-31, YYYY-MM-DD",
        )
    })?;
    let config = match form.config.trim() {
        "" => serde_json::json!({}),
        text => serde_json::from_str(text).map_err(|_| {
            field_error(
                "config",
                "invalid_config",
                "插件配置必须是 JSON 对象,例如 {}",
                "config: a JSON object, e.g. {}",
            )
        })?,
    };
    Ok((day, config))
}

fn field_error(field: &str, code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request(code, zh, en).with_field(field)
}

/// `POST /console/{code}/rules/{slot}/rollback`
async fn rollback(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, slot)): Path<(String, String)>,
    PageForm(form): PageForm<RollbackForm>,
) -> Result<Response, PageError> {
    let by = ctx.actor()?.id.clone();
    let (tenant, slot) = (crate::tenants::load(&state.store, &code).await?, slot_named(&slot)?);
    let to_version = match form.to_version.trim() {
        "" => Ok(None),
        v => v.parse::<i64>().map(Some).map_err(|_| {
            field_error(
                "to_version",
                "invalid_version",
                "版本号应为整数",
                "to_version: a whole number",
            )
        }),
    };
    let result = match to_version {
        Ok(v) => state.rules.rollback(&tenant, slot, v, &by).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(b) => {
            Ok(redirect(&format!("/console/{code}/rules/{}?rolled={}", slot.as_str(), b.version)))
        }
        Err(err) => {
            let rollback_errors = FormErrors::from_error(&err).shown_in(&["to_version"]);
            let forms = SlotForms { rollback_errors, ..default_forms(&state) };
            render_slot(&state, &ctx, &tenant, slot, forms, err.status).await
        }
    }
}

#[derive(Template)]
#[template(path = "rules_dry_run.html")]
struct DryRunPage {
    layout: Layout,
    code: String,
    slot: String,
    slot_label: &'static str,
    candidate: String,
    job: Option<JobView>,
    report: Option<ReportView>,
}

/// `POST /console/{code}/rules/{slot}/dry-run`: up to 50 decisions within the request (the
/// diff is this page), more as a background job (the job's page follows it).
async fn dry_run(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, slot)): Path<(String, String)>,
    PageForm(form): PageForm<DryRunForm>,
) -> Result<Response, PageError> {
    let by = ctx.actor()?.id.clone();
    let (tenant, slot) = (crate::tenants::load(&state.store, &code).await?, slot_named(&slot)?);
    let result = match candidate_of(slot, &form) {
        Ok(c) if c.limit > MAX_IN_REQUEST => {
            state.rules.start_dry_run(&tenant, c, &by).await.map(|job| Err(job.id))
        }
        Ok(c) => state.rules.dry_run(&tenant, &c).await.map(Ok),
        Err(e) => Err(e),
    };
    match result {
        Ok(Ok(report)) => {
            let plugins = state.store.list_plugins().await?;
            let page = DryRunPage {
                layout: ctx.wide_layout("试运行结果"),
                code: code.clone(),
                slot: slot.as_str().to_string(),
                slot_label: slot_label(slot),
                candidate: PluginChoice::label_of(&plugins, &report.candidate),
                job: None,
                report: Some(ReportView::of(&code, &report)),
            };
            render(StatusCode::OK, &page)
        }
        Ok(Err(job)) => Ok(redirect(&format!("/console/{code}/dry-runs/{job}"))),
        Err(err) => {
            let dry_errors = FormErrors::from_error(&err).shown_in(&["plugin", "limit"]);
            let forms = SlotForms { dry: form, dry_errors, ..default_forms(&state) };
            render_slot(&state, &ctx, &tenant, slot, forms, err.status).await
        }
    }
}

fn candidate_of(slot: Slot, form: &DryRunForm) -> Result<Candidate, ApiError> {
    if form.plugin.trim().is_empty() {
        return Err(field_error(
            "plugin",
            "plugin_missing",
            "请选择要试运行的插件版本",
            "choose the plugin version to dry-run",
        ));
    }
    let limit = match form.limit.trim() {
        "" => MAX_IN_REQUEST,
        raw => raw.parse::<i64>().map_err(|_| {
            field_error(
                "limit",
                "invalid_limit",
                "条数应为 1 到 500 之间的整数",
                "limit: a whole number from 1 to 500",
            )
        })?,
    };
    Ok(Candidate { slot, plugin: form.plugin.trim().to_string(), config: None, limit })
}

/// `GET /console/{code}/dry-runs/{id}`: a background dry-run's progress (htmx polls it every
/// second; a reload link does the same without JavaScript), then its diff.
async fn dry_run_job(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let tenant = crate::tenants::load(&state.store, &code).await?;
    let job = state.rules.dry_run_job(&tenant.code, &id).await?;
    let plugins = state.store.list_plugins().await?;
    let slot = slot_named(&job.slot)?;
    let page = DryRunPage {
        layout: ctx.wide_layout("试运行任务"),
        code: code.clone(),
        slot: job.slot.clone(),
        slot_label: slot_label(slot),
        candidate: PluginChoice::label_of(&plugins, &job.candidate),
        report: job.report.as_ref().map(|r| ReportView::of(&code, r)),
        job: Some(JobView::of(&code, &job)),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "rules_decision.html")]
struct DecisionPage {
    layout: Layout,
    code: String,
    row: DecisionRow,
    market: String,
    version: Option<i64>,
    from_tenant: String,
    outcome: Vec<Figure>,
    reasons: Vec<String>,
    input: String,
    replay: Option<ReplayView>,
}

/// `GET /console/{code}/decisions/{id}`: the receipt, if the decision is this market's or of a
/// market under it (any other is not found).
async fn decision(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    receipt(&state, &ctx, &code, &id, None).await
}

/// `POST /console/{code}/decisions/{id}/replay`: the receipt with the replay's verdict.
async fn replay(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    state.rules.decision_within(&code, &id).await?;
    let report = state.rules.replay(&id).await?;
    receipt(&state, &ctx, &code, &id, Some(ReplayView::of(&report))).await
}

async fn receipt(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    id: &str,
    replay: Option<ReplayView>,
) -> Result<Response, PageError> {
    crate::tenants::load(&state.store, code).await?;
    let d = state.rules.decision_within(code, id).await?;
    let plugins = state.store.list_plugins().await?;
    let tenants = state.store.list_tenants().await?;
    let (version, from_tenant) = binding_of(state, &d, &tenants).await?;
    let slot = slot_named(&d.slot)?;
    let output: serde_json::Value = serde_json::from_str(&d.output).map_err(ApiError::internal)?;
    let input: serde_json::Value = serde_json::from_str(&d.input).map_err(ApiError::internal)?;
    let mut input = serde_json::to_string_pretty(&input).map_err(ApiError::internal)?;
    if input.chars().count() > 4000 {
        input = input.chars().take(4000).collect::<String>() + "\n…(已截断)";
    }
    let name_of =
        |c: &str| tenants.iter().find(|t| t.code == c).map_or(c.to_string(), |t| t.name.clone());
    let page = DecisionPage {
        layout: ctx.wide_layout("决定回执"),
        code: code.to_string(),
        market: name_of(&d.tenant_code),
        from_tenant: from_tenant.map(|c| name_of(&c)).unwrap_or_default(),
        row: DecisionRow::of(code, &d, &plugins),
        version,
        outcome: figures(&crate::rules::key_figures(slot, &output), None),
        reasons: crate::rules::reasons(slot, &output),
        input,
        replay,
    };
    render(StatusCode::OK, &page)
}

/// The version number and owner of the binding a decision was made under, looked up along the
/// decision market's path (the binding may be an ancestor's).
async fn binding_of(
    state: &AppState,
    d: &crate::store::rules::Decision,
    tenants: &[Tenant],
) -> Result<(Option<i64>, Option<String>), PageError> {
    let Some(id) = &d.binding_id else { return Ok((None, None)) };
    let path = crate::authz::path_of(&d.tenant_code, tenants).unwrap_or_default();
    for code in path.split('/').filter(|c| !c.is_empty()) {
        let bindings = state.store.tenant_bindings(code).await?;
        if let Some(b) = bindings.iter().find(|b| &b.id == id) {
            return Ok((Some(b.version), Some(code.to_string())));
        }
    }
    Ok((None, None))
}
