//! The real-name profile form (`/me/profile`), for workers and employers: the same submission
//! as `PUT /api/v1/me/profile`, with the domain's errors next to the fields they name.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::feed::Choice;
use super::form::{FormErrors, PageForm};
use super::page::{Layout, home_of, redirect, render};
use super::{PageCtx, PageError, fmt};
use crate::accounts::AccountKind;
use crate::accounts::profiles::{self, ProfileInput, ProfileKind, SKILL_LEVELS};
use crate::api::AppState;
use crate::error::ApiError;
use crate::jobs::occupations::OCCUPATIONS;
use crate::store::profiles::ProfileRow;

/// The form as typed: every field is text, checked by the domain (or here, for numbers).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    kind: String,
    home_tenant: String,
    name: String,
    id_number: String,
    occupation_1: String,
    occupation_2: String,
    occupation_3: String,
    skill_level: String,
    wage: String,
    wage_unit: String,
    certificates: String,
    uscc: String,
    contact_name: String,
    license_no: String,
    legal_rep: String,
}

const FIELDS: &[&str] = &[
    "kind",
    "home_tenant",
    "name",
    "id_number",
    "occupations",
    "skill_level",
    "wage_expectation_cents",
    "wage_unit",
    "certificates",
    "uscc",
    "contact_name",
    "license_no",
    "legal_rep",
];

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    layout: Layout,
    form: ProfileForm,
    worker: bool,
    markets: Vec<Choice>,
    occupations: Vec<Choice>,
    /// The three occupation choices: field name and chosen code.
    slots: Vec<(&'static str, String)>,
    skill_levels: Vec<Choice>,
    errors: FormErrors,
}

/// `GET /me/profile`: the form, filled with what is on record.
pub async fn form(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let form = match state.store.profile(&actor.id).await? {
        Some(row) => filled(&state, &row)?,
        None => ProfileForm::default(),
    };
    page(&state, &ctx, form, FormErrors::none(), StatusCode::OK).await
}

/// `POST /me/profile`: submit; it waits for the market's staff to verify it.
pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageForm(form): PageForm<ProfileForm>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let account = state.store.account(&actor.id).await?.ok_or_else(|| {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "请先登录", "log in first")
    })?;
    let result = match input(&form, actor.kind) {
        Ok(input) => {
            let url = state.config.verification_url.as_deref();
            profiles::submit(&state.store, state.accounts.keys(), url, &account, &input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(redirect(&home_of(actor))),
        Err(err) if err.status.is_client_error() => {
            let errors = FormErrors::from_error(&err).shown_in(FIELDS);
            page(&state, &ctx, form, errors, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

async fn page(
    state: &AppState,
    ctx: &PageCtx,
    mut form: ProfileForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let worker = ctx.actor()?.kind == AccountKind::Worker;
    if worker {
        form.kind = "worker".into();
    }
    let markets = state.store.list_tenants().await?;
    let choice = |value: &str, label: &str| Choice { value: value.into(), label: label.into() };
    let page = ProfilePage {
        layout: ctx.layout("实名信息"),
        markets: markets.iter().map(|t| choice(&t.code, &t.name)).collect(),
        occupations: OCCUPATIONS.iter().map(|o| choice(o.code, o.name)).collect(),
        skill_levels: SKILL_LEVELS
            .iter()
            .enumerate()
            .map(|(i, l)| choice(&i.to_string(), l))
            .collect(),
        slots: vec![
            ("occupation_1", form.occupation_1.clone()),
            ("occupation_2", form.occupation_2.clone()),
            ("occupation_3", form.occupation_3.clone()),
        ],
        form,
        worker,
        errors,
    };
    render(status, &page)
}

/// The domain's input from the form; a number that is not one is an error naming its field.
fn input(form: &ProfileForm, kind: AccountKind) -> Result<ProfileInput, ApiError> {
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let profile_kind = match (kind, form.kind.as_str()) {
        (AccountKind::Worker, _) => ProfileKind::Worker,
        (_, "enterprise") => ProfileKind::Enterprise,
        (_, "individual_employer") => ProfileKind::IndividualEmployer,
        (_, "agency") => ProfileKind::Agency,
        _ => return Err(bad("kind", "请选择主体类型", "kind: choose one")),
    };
    let worker = profile_kind == ProfileKind::Worker;
    let skill_level = match text(&form.skill_level) {
        Some(s) => {
            Some(s.parse::<u8>().map_err(|_| bad("skill_level", "请选择技能等级", "skill_level"))?)
        }
        None => None,
    };
    let wage = match text(&form.wage) {
        Some(w) => Some(fmt::parse_yuan(&w).ok_or_else(|| {
            bad("wage_expectation_cents", "期望工资请填写金额(元)", "wage: yuan")
        })?),
        None => None,
    };
    let occupations = [&form.occupation_1, &form.occupation_2, &form.occupation_3]
        .into_iter()
        .filter_map(|o| text(o))
        .collect();
    let certificates =
        form.certificates.split([',', ',', '、', ';', ';']).filter_map(text).collect();
    Ok(ProfileInput {
        kind: profile_kind,
        home_tenant: form.home_tenant.trim().to_string(),
        name: text(&form.name),
        id_number: text(&form.id_number),
        scan: None,
        occupations: if worker { occupations } else { Vec::new() },
        skill_level: skill_level.filter(|_| worker),
        wage_expectation_cents: wage.filter(|_| worker),
        wage_unit: text(&form.wage_unit).filter(|_| worker),
        location: None,
        certificates: if worker { certificates } else { Vec::new() },
        uscc: text(&form.uscc).filter(|_| !worker),
        contact_name: text(&form.contact_name).filter(|_| !worker),
        license_no: text(&form.license_no).filter(|_| !worker),
        legal_rep: text(&form.legal_rep).filter(|_| !worker),
    })
}

fn bad(field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request("invalid_profile", zh, en).with_field(field)
}

/// The form filled from a stored profile (the ID number in clear: this is its owner).
fn filled(state: &AppState, row: &ProfileRow) -> Result<ProfileForm, ApiError> {
    let id = match &row.id_enc {
        Some(enc) => state.accounts.keys().decrypt(enc).map_err(ApiError::internal)?,
        None => String::new(),
    };
    let d: serde_json::Value = serde_json::from_str(&row.details).map_err(ApiError::internal)?;
    let s = |key: &str| d[key].as_str().unwrap_or_default().to_string();
    let occupation = |i: usize| d["occupations"][i].as_str().unwrap_or_default().to_string();
    let certificates: Vec<&str> =
        d["certificates"].as_array().into_iter().flatten().filter_map(|c| c.as_str()).collect();
    Ok(ProfileForm {
        kind: row.kind.clone(),
        home_tenant: row.home_tenant.clone(),
        name: row.name.clone(),
        id_number: id,
        occupation_1: occupation(0),
        occupation_2: occupation(1),
        occupation_3: occupation(2),
        skill_level: d["skill_level"].as_i64().map_or_else(String::new, |l| l.to_string()),
        wage: d["wage_expectation_cents"]
            .as_i64()
            .map_or_else(String::new, |c| fmt::yuan(c).trim_end_matches('元').to_string()),
        wage_unit: s("wage_unit"),
        certificates: certificates.join("、"),
        uscc: row.uscc.clone().unwrap_or_default(),
        contact_name: s("contact_name"),
        license_no: s("license_no"),
        legal_rep: s("legal_rep"),
    })
}
