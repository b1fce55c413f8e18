//! Skills services (技能提升) as pages: workers find sessions (`/trainings`), enrol and withdraw
//! (`/trainings/{id}`), and see their enrolments and skill records (`/me/skills`); a market's
//! staff list and create sessions (`/console/{code}/trainings`) and record attendance and
//! completion on a session's roster (`/console/{code}/trainings/{id}`). Each handler calls the
//! `trainings` function its JSON twin calls.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::console::Market;
use super::feed::Choice;
use super::form::{FormErrors, PageForm, PageQuery};
use super::page::{Layout, redirect, render};
use super::{PageCtx, PageError, fmt};
use crate::accounts::AccountKind;
use crate::accounts::profiles::SKILL_LEVELS;
use crate::api::AppState;
use crate::jobs::occupations::OCCUPATIONS;
use crate::tenants::{Tenant, TenantKind};
use crate::trainings::enrol::{self, MyEnrolment, RosterLine, StepInput};
use crate::trainings::skills::{self, CertificateInput, SkillView};
use crate::trainings::{self, Kind, NewTraining, Search, TrainingView};

/// The pages' routes (each is also in `authz::routes::ROUTES`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/trainings", get(find))
        .route("/trainings/{id}", get(show))
        .route("/trainings/{id}/enrol", post(enrol_page))
        .route("/trainings/{id}/withdraw", post(withdraw_page))
        .route("/me/skills", get(my_skills))
        .route("/console/{code}/trainings", get(console_list).post(console_create))
        .route("/console/{code}/trainings/{id}", get(console_show))
        .route("/console/{code}/trainings/{id}/cancel", post(console_cancel))
        .route("/console/{code}/trainings/{id}/enrolments/{account}", post(console_step))
}

/// A session as a card or the head of its page.
pub struct Card {
    /// Its page.
    pub href: String,
    /// The id.
    pub id: String,
    /// The title.
    pub title: String,
    /// 技能培训, …
    pub kind: &'static str,
    /// The occupation's name.
    pub occupation: String,
    /// `12月3日 周四 至 12月5日 周六`.
    pub days: String,
    /// Where.
    pub place: String,
    /// The market.
    pub market: String,
    /// Who gives it.
    pub provider: String,
    /// `免费` or `300元`.
    pub cost: String,
    /// Places not held yet.
    pub places_left: i64,
    /// All places.
    pub capacity: i64,
    /// What it covers.
    pub description: String,
    /// Cancelled.
    pub cancelled: bool,
}

impl Card {
    fn of(v: &TrainingView, href: String) -> Card {
        Card {
            href,
            id: v.row.id.clone(),
            title: v.row.title.clone(),
            kind: v.kind_name,
            occupation: v.occupation_name.clone(),
            days: fmt::days(&v.row.starts_on, &v.row.ends_on),
            place: v.row.place.clone(),
            market: v.tenant_name.clone(),
            provider: v.provider_name.clone(),
            cost: if v.free { "免费".into() } else { fmt::yuan(v.row.cost_cents) },
            places_left: v.places_left,
            capacity: v.row.capacity,
            description: v.row.description.clone(),
            cancelled: v.row.status == "cancelled",
        }
    }

    fn public(v: &TrainingView) -> Card {
        Card::of(v, format!("/trainings/{}", v.row.id))
    }
}

fn kind_choices() -> Vec<Choice> {
    Kind::ALL
        .iter()
        .map(|k| Choice { value: k.as_str().into(), label: k.name_zh().into() })
        .collect()
}

fn occupation_choices() -> Vec<Choice> {
    OCCUPATIONS.iter().map(|o| Choice { value: o.code.into(), label: o.name.into() }).collect()
}

fn county_choices(tenants: &[Tenant]) -> Vec<Choice> {
    tenants
        .iter()
        .filter(|t| t.kind == TenantKind::County)
        .map(|t| Choice { value: t.code.clone(), label: t.name.clone() })
        .collect()
}

/// The search form as typed (every field text, so a wrong one is shown, not refused).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FindForm {
    kind: String,
    occupation: String,
    county: String,
    free: String,
    offset: String,
}

#[derive(Template)]
#[template(path = "trainings/find.html")]
struct FindPage {
    layout: Layout,
    form: FindForm,
    kinds: Vec<Choice>,
    occupations: Vec<Choice>,
    counties: Vec<Choice>,
    cards: Vec<Card>,
    next: Option<String>,
    errors: FormErrors,
}

/// `GET /trainings`: open sessions city-wide with places left, by kind, occupation, county
/// and cost.
pub async fn find(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageQuery(form): PageQuery<FindForm>,
) -> Result<Response, PageError> {
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let search = Search {
        kind: some(&form.kind),
        occupation: some(&form.occupation),
        county: some(&form.county),
        free: match form.free.as_str() {
            "free" => Some(true),
            "paid" => Some(false),
            _ => None,
        },
        offset: form.offset.trim().parse().ok(),
        ..Search::default()
    };
    let (cards, next, errors, status) = match trainings::find(&state.store, &search).await {
        Ok(found) => {
            let next = found.next_offset.map(|o| {
                format!(
                    "/trainings?kind={}&occupation={}&county={}&free={}&offset={o}",
                    form.kind, form.occupation, form.county, form.free
                )
            });
            (
                found.trainings.iter().map(Card::public).collect(),
                next,
                FormErrors::none(),
                StatusCode::OK,
            )
        }
        Err(err) if err.status.is_client_error() => {
            (Vec::new(), None, FormErrors::from_error(&err), err.status)
        }
        Err(err) => return Err(err.into()),
    };
    let tenants = state.store.list_tenants().await?;
    let page = FindPage {
        layout: ctx.layout("技能培训"),
        form,
        kinds: kind_choices(),
        occupations: occupation_choices(),
        counties: county_choices(&tenants),
        cards,
        next,
        errors: errors.shown_in(&["kind", "occupation", "county"]),
    };
    render(status, &page)
}

#[derive(Template)]
#[template(path = "trainings/show.html")]
struct ShowPage {
    layout: Layout,
    card: Card,
    /// The caller's enrolment status in words, if enrolled (or once enrolled).
    mine: Option<&'static str>,
    may_enrol: bool,
    may_withdraw: bool,
    errors: FormErrors,
}

/// `GET /trainings/{id}`
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    show_page(&state, &ctx, &id, FormErrors::none(), StatusCode::OK).await
}

async fn show_page(
    state: &AppState,
    ctx: &PageCtx,
    id: &str,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let v = trainings::get(&state.store, id).await?;
    let today = state.store.clock().today().to_string();
    let worker = ctx.actor.as_ref().filter(|a| a.kind == AccountKind::Worker);
    let mine = match worker {
        Some(a) => state.store.enrolment(id, &a.id).await?,
        None => None,
    };
    let holds = mine.as_ref().is_some_and(|e| e.status != "withdrawn");
    let open = v.row.status == "open" && v.row.starts_on >= today;
    let page = ShowPage {
        layout: ctx.layout(&v.row.title),
        mine: mine
            .as_ref()
            .and_then(|e| enrol::Status::parse(&e.status))
            .map(enrol::Status::name_zh),
        may_enrol: open
            && !holds
            && v.places_left > 0
            && ctx.actor.as_ref().is_none_or(|a| a.kind == AccountKind::Worker),
        may_withdraw: mine.is_some_and(|e| e.status == "enrolled")
            && v.row.status == "open"
            && v.row.starts_on > today,
        card: Card::public(&v),
        errors,
    };
    render(status, &page)
}

/// `POST /trainings/{id}/enrol`: take a place, then on to one's skills page.
pub async fn enrol_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    match enrol::enrol(&state.store, &actor.id, actor.kind, &id).await {
        Ok(_) => Ok(redirect(&format!("/me/skills#t-{id}"))),
        Err(err) if err.status.is_client_error() && err.code != "training_not_found" => {
            show_page(&state, &ctx, &id, FormErrors::from_error(&err).shown_in(&[]), err.status)
                .await
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /trainings/{id}/withdraw`: give the place back before the start date.
pub async fn withdraw_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    match enrol::withdraw(&state.store, &actor.id, &id).await {
        Ok(_) => Ok(redirect(&format!("/trainings/{id}"))),
        Err(err) if err.status.is_client_error() && err.code != "training_not_found" => {
            show_page(&state, &ctx, &id, FormErrors::from_error(&err).shown_in(&[]), err.status)
                .await
        }
        Err(err) => Err(err.into()),
    }
}

/// One of one's enrolments as the skills page lists it.
pub struct MyCard {
    /// The session.
    pub card: Card,
    /// 已报名, …
    pub status: &'static str,
}

impl MyCard {
    fn of(e: &MyEnrolment) -> MyCard {
        MyCard { card: Card::public(&e.training), status: e.status_name }
    }
}

/// A skill record as the skills page shows it.
pub struct SkillCard {
    /// The session's title.
    pub title: String,
    /// 技能培训, …
    pub kind: &'static str,
    /// The occupation.
    pub occupation: String,
    /// When completed.
    pub completed: String,
    /// `二级/技师 · 证书 S0000… · 兰考县职业技能鉴定站 · 12月5日 周六`, when certified.
    pub certificate: Option<String>,
}

impl SkillCard {
    fn of(s: &SkillView) -> SkillCard {
        let r = &s.record;
        SkillCard {
            title: s.training_title.clone(),
            kind: s.kind_name,
            occupation: s.occupation_name.clone(),
            completed: fmt::day_text(&r.completed_on),
            certificate: r.cert_number.as_ref().map(|n| {
                format!(
                    "{} · 证书编号 {n} · {} · {}发证",
                    s.level_name.unwrap_or(""),
                    r.cert_issuer.as_deref().unwrap_or(""),
                    fmt::day_text(r.cert_issued_on.as_deref().unwrap_or(""))
                )
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "trainings/me.html")]
struct MePage {
    layout: Layout,
    enrolments: Vec<MyCard>,
    skills: Vec<SkillCard>,
}

/// `GET /me/skills`: one's enrolments and skill records.
pub async fn my_skills(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let enrolments = enrol::mine(&state.store, &actor.id).await?;
    let skills = skills::mine(&state.store, &actor.id).await?;
    let page = MePage {
        layout: ctx.layout("我的培训与技能"),
        enrolments: enrolments.iter().map(MyCard::of).collect(),
        skills: skills.iter().map(SkillCard::of).collect(),
    };
    render(StatusCode::OK, &page)
}

/// The create form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CreateForm {
    kind: String,
    title: String,
    occupation_code: String,
    starts_on: String,
    ends_on: String,
    place: String,
    capacity: String,
    cost_yuan: String,
    provider: String,
    description: String,
}

const CREATE_FIELDS: &[&str] = &[
    "kind",
    "title",
    "occupation_code",
    "starts_on",
    "ends_on",
    "place",
    "capacity",
    "cost_yuan",
    "provider",
    "description",
];

#[derive(Template)]
#[template(path = "trainings/console_list.html")]
struct ConsoleListPage {
    layout: Layout,
    market: Market,
    cards: Vec<Card>,
    kinds: Vec<Choice>,
    occupations: Vec<Choice>,
    form: CreateForm,
    errors: FormErrors,
}

/// `GET /console/{code}/trainings`: the market's sessions and the create form.
pub async fn console_list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    console_list_page(
        &state,
        &ctx,
        &code,
        CreateForm::default(),
        FormErrors::none(),
        StatusCode::OK,
    )
    .await
}

async fn console_list_page(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    form: CreateForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let market = Market::load(state, ctx.actor()?, code).await?;
    let cards = trainings::of_tenant(&state.store, code)
        .await?
        .iter()
        .map(|v| Card::of(v, format!("/console/{code}/trainings/{}", v.row.id)))
        .collect();
    let page = ConsoleListPage {
        layout: ctx.wide_layout(&format!("{} · 技能培训", market.name)),
        market,
        cards,
        kinds: kind_choices(),
        occupations: occupation_choices(),
        form,
        errors: errors.shown_in(CREATE_FIELDS),
    };
    render(status, &page)
}

/// `POST /console/{code}/trainings`: create a session; errors are shown by their field.
pub async fn console_create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
    PageForm(form): PageForm<CreateForm>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let bad = |field: &str, message: &str| FormErrors::field(field, message);
    let capacity = match form.capacity.trim().parse::<i64>() {
        Ok(c) => c,
        Err(_) => {
            let errors = bad("capacity", "请填写培训人数(1至500)");
            return console_list_page(&state, &ctx, &code, form, errors, StatusCode::BAD_REQUEST)
                .await;
        }
    };
    let cost_cents = if form.cost_yuan.trim().is_empty() {
        0
    } else {
        match fmt::parse_yuan(&form.cost_yuan) {
            Some(c) => c,
            None => {
                let errors = bad("cost_yuan", "费用应为金额(元),免费请填0或留空");
                return console_list_page(
                    &state,
                    &ctx,
                    &code,
                    form,
                    errors,
                    StatusCode::BAD_REQUEST,
                )
                .await;
            }
        }
    };
    let input = NewTraining {
        kind: form.kind.clone(),
        title: form.title.clone(),
        occupation_code: form.occupation_code.clone(),
        starts_on: form.starts_on.clone(),
        ends_on: form.ends_on.clone(),
        place: form.place.clone(),
        capacity,
        cost_cents,
        provider: Some(form.provider.clone()),
        description: form.description.clone(),
    };
    let tenant = crate::tenants::load(&state.store, &code).await?;
    match trainings::create(&state.store, &tenant, &actor.id, &input).await {
        Ok(row) => Ok(redirect(&format!("/console/{code}/trainings/{}", row.id))),
        Err(mut err) if err.status.is_client_error() => {
            if err.field.as_deref() == Some("cost_cents") {
                err.field = Some("cost_yuan".into());
            }
            let errors = FormErrors::from_error(&err);
            console_list_page(&state, &ctx, &code, form, errors, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

/// The completion form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepForm {
    action: String,
    cert_number: String,
    cert_issuer: String,
    cert_issued_on: String,
    cert_level: String,
}

#[derive(Template)]
#[template(path = "trainings/console_show.html")]
struct ConsoleShowPage {
    layout: Layout,
    market: Market,
    card: Card,
    roster: Vec<RosterLine>,
    certifies: bool,
    may_cancel: bool,
    levels: Vec<Choice>,
    /// The worker whose form had the errors, and what it said.
    failed: Option<String>,
    form: StepForm,
    errors: FormErrors,
}

/// `GET /console/{code}/trainings/{id}`: the roster with attendance and completion.
pub async fn console_show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let none = (None, StepForm::default(), FormErrors::none());
    console_show_page(&state, &ctx, &code, &id, none, StatusCode::OK).await
}

async fn console_show_page(
    state: &AppState,
    ctx: &PageCtx,
    code: &str,
    id: &str,
    (failed, form, errors): (Option<String>, StepForm, FormErrors),
    status: StatusCode,
) -> Result<Response, PageError> {
    let market = Market::load(state, ctx.actor()?, code).await?;
    let (v, roster) = enrol::roster(&state.store, &state.accounts, code, id).await?;
    let today = state.store.clock().today().to_string();
    let page = ConsoleShowPage {
        layout: ctx.wide_layout(&format!("{} · {}", market.name, v.row.title)),
        market,
        certifies: v.row.kind == Kind::Skills.as_str(),
        may_cancel: v.row.status == "open" && v.row.ends_on >= today,
        card: Card::of(&v, format!("/console/{code}/trainings/{id}")),
        roster,
        levels: (1..SKILL_LEVELS.len())
            .map(|l| Choice { value: l.to_string(), label: SKILL_LEVELS[l].to_string() })
            .collect(),
        failed,
        form,
        // Shown in the row of the worker whose form failed (or above the roster).
        errors: errors.shown_in(&[]),
    };
    render(status, &page)
}

/// `POST /console/{code}/trainings/{id}/enrolments/{account}`: attend, absent or complete
/// (with the certificate's fields filled in for a certified completion).
pub async fn console_step(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id, account)): Path<(String, String, String)>,
    PageForm(form): PageForm<StepForm>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    let certified = !form.cert_number.trim().is_empty() || !form.cert_level.trim().is_empty();
    let certificate = certified.then(|| CertificateInput {
        number: form.cert_number.clone(),
        issuer: form.cert_issuer.clone(),
        issued_on: form.cert_issued_on.clone(),
        level: form.cert_level.trim().parse().unwrap_or(0),
    });
    let input = StepInput { action: form.action.clone(), certificate };
    match enrol::step(&state.store, &code, &actor.id, &id, &account, &input).await {
        Ok(_) => Ok(redirect(&format!("/console/{code}/trainings/{id}#w-{account}"))),
        Err(err) if err.status.is_client_error() && err.code != "training_not_found" => {
            let failed = (Some(account), form, FormErrors::from_error(&err));
            console_show_page(&state, &ctx, &code, &id, failed, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /console/{code}/trainings/{id}/cancel`
pub async fn console_cancel(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let actor = ctx.actor()?;
    match trainings::cancel(&state.store, &code, &actor.id, &id).await {
        Ok(_) => Ok(redirect(&format!("/console/{code}/trainings/{id}"))),
        Err(err) if err.status == StatusCode::CONFLICT => {
            let failed = (None, StepForm::default(), FormErrors::from_error(&err));
            console_show_page(&state, &ctx, &code, &id, failed, err.status).await
        }
        Err(err) => Err(err.into()),
    }
}
