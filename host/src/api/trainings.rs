//! Skills services (技能提升): finding sessions city-wide and enrolling as a worker, one's own
//! enrolments and skill records, and a market's sessions, rosters and attendance as its staff.
//! The rules live in [`crate::trainings`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::extract::{Json, Query};
use super::tenants::load_tenant;
use crate::authz::Actor;
use crate::error::{ApiError, ErrorBody};
use crate::store::trainings::EnrolmentRow;
use crate::trainings::enrol::{self, MyEnrolment, RosterLine, StepInput};
use crate::trainings::skills::{self, SkillView};
use crate::trainings::{self, Found, NewTraining, Search, TrainingView};

/// Open sessions city-wide, the soonest first: by default those with places left from today
/// on. Public.
#[utoipa::path(get, path = "/api/v1/trainings", tag = "trainings", params(Search),
    responses((status = 200, body = Found), (status = 400, body = ErrorBody)))]
pub async fn find(
    State(state): State<AppState>,
    Query(search): Query<Search>,
) -> Result<Json<Found>, ApiError> {
    Ok(Json(trainings::find(&state.store, &search).await?))
}

/// One session, whatever its status. Public.
#[utoipa::path(get, path = "/api/v1/trainings/{id}", tag = "trainings", params(("id" = String, Path)),
    responses((status = 200, body = TrainingView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<TrainingView>, ApiError> {
    Ok(Json(trainings::get(&state.store, &id).await?))
}

/// Enrol in a session as a worker with a real-name profile: once per worker, never beyond
/// capacity (`training_full`).
#[utoipa::path(post, path = "/api/v1/trainings/{id}/enrolments", tag = "trainings", params(("id" = String, Path)),
    responses((status = 201, body = EnrolmentRow), (status = 403, body = ErrorBody, description = "not a worker, or no real-name profile"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "training_full, already_enrolled or training_not_open")),
    security(("session" = [])))]
pub async fn enrol(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<EnrolmentRow>), ApiError> {
    let row = enrol::enrol(&state.store, &actor.id, actor.kind, &id).await?;
    Ok((StatusCode::CREATED, Json(row)))
}

/// Give one's place back, before the session's start date.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/withdraw", tag = "trainings", params(("id" = String, Path)),
    responses((status = 200, body = EnrolmentRow), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "started, cancelled, or not enrolled any more")),
    security(("session" = [])))]
pub async fn withdraw(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<EnrolmentRow>, ApiError> {
    Ok(Json(enrol::withdraw(&state.store, &actor.id, &id).await?))
}

/// One's enrolments.
#[derive(Serialize, ToSchema)]
pub struct MyEnrolments {
    /// The latest session first.
    pub enrolments: Vec<MyEnrolment>,
    /// How many.
    pub count: usize,
}

/// One's own enrolments with their sessions.
#[utoipa::path(get, path = "/api/v1/me/trainings", tag = "trainings", responses((status = 200, body = MyEnrolments)), security(("session" = [])))]
pub async fn my_trainings(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<MyEnrolments>, ApiError> {
    let enrolments = enrol::mine(&state.store, &actor.id).await?;
    Ok(Json(MyEnrolments { count: enrolments.len(), enrolments }))
}

/// One's skill records.
#[derive(Serialize, ToSchema)]
pub struct MySkills {
    /// The latest first.
    pub skills: Vec<SkillView>,
    /// How many.
    pub count: usize,
}

/// One's own skill records (completed sessions and the certificates earned).
#[utoipa::path(get, path = "/api/v1/me/skills", tag = "trainings", responses((status = 200, body = MySkills)), security(("session" = [])))]
pub async fn my_skills(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<MySkills>, ApiError> {
    let skills = skills::mine(&state.store, &actor.id).await?;
    Ok(Json(MySkills { count: skills.len(), skills }))
}

/// A market's sessions.
#[derive(Serialize, ToSchema)]
pub struct TenantTrainings {
    /// The latest start first, any status.
    pub trainings: Vec<TrainingView>,
    /// How many.
    pub count: usize,
}

/// The sessions of this market (any status), the latest start first.
#[utoipa::path(get, path = "/api/v1/tenants/{code}/trainings", tag = "trainings", params(("code" = String, Path)),
    responses((status = 200, body = TenantTrainings)), security(("session" = [])))]
pub async fn tenant_trainings(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<TenantTrainings>, ApiError> {
    let trainings = trainings::of_tenant(&state.store, &code).await?;
    Ok(Json(TenantTrainings { count: trainings.len(), trainings }))
}

/// Create a session of this (active) market. Audited.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/trainings", tag = "trainings", params(("code" = String, Path)),
    request_body = NewTraining,
    responses((status = 201, body = TrainingView), (status = 400, body = ErrorBody, description = "a field is wrong (named)"), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    Json(input): Json<NewTraining>,
) -> Result<(StatusCode, Json<TrainingView>), ApiError> {
    let tenant = load_tenant(&state, &code).await?;
    let row = trainings::create(&state.store, &tenant, &actor.id, &input).await?;
    Ok((StatusCode::CREATED, Json(trainings::view(row, std::slice::from_ref(&tenant)))))
}

/// Cancel a session of this market that has not ended; enrolled workers' enrolments become
/// `cancelled`. Audited.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/trainings/{id}/cancel", tag = "trainings", params(("code" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = TrainingView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    actor: Actor,
    Path((code, id)): Path<(String, String)>,
) -> Result<Json<TrainingView>, ApiError> {
    let row = trainings::cancel(&state.store, &code, &actor.id, &id).await?;
    Ok(Json(trainings::view(row, &state.store.list_tenants().await?)))
}

/// A session's roster.
#[derive(Serialize, ToSchema)]
pub struct Roster {
    /// The session.
    pub training: TrainingView,
    /// Its enrolments, the earliest first; names and phones masked.
    pub enrolments: Vec<RosterLine>,
}

/// The roster of a session of this market: names and phones masked (the audited
/// `GET /api/v1/tenants/{code}/people/{account}` shows them in full).
#[utoipa::path(get, path = "/api/v1/tenants/{code}/trainings/{id}/enrolments", tag = "trainings", params(("code" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Roster), (status = 404, body = ErrorBody)), security(("session" = [])))]
pub async fn roster(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, String)>,
) -> Result<Json<Roster>, ApiError> {
    let (training, enrolments) = enrol::roster(&state.store, &state.accounts, &code, &id).await?;
    Ok(Json(Roster { training, enrolments }))
}

/// Record attendance (`attend`, `absent`) or completion (`complete`, with a certificate for a
/// `skills` session) of a worker in a session of this market, from its start date on. A
/// completion issues the worker's skill record. Audited.
#[utoipa::path(post, path = "/api/v1/tenants/{code}/trainings/{id}/enrolments/{account}", tag = "trainings",
    params(("code" = String, Path), ("id" = String, Path), ("account" = String, Path)), request_body = StepInput,
    responses((status = 200, body = EnrolmentRow), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "a step the transition table forbids, or before the start date")),
    security(("session" = [])))]
pub async fn step(
    State(state): State<AppState>,
    actor: Actor,
    Path((code, id, account)): Path<(String, String, String)>,
    Json(input): Json<StepInput>,
) -> Result<Json<EnrolmentRow>, ApiError> {
    Ok(Json(enrol::step(&state.store, &code, &actor.id, &id, &account, &input).await?))
}
