//! The read model of an engagement: what its parties see, in the JSON API and on the pages.

use serde::Serialize;
use utoipa::ToSchema;

use super::Status;
use crate::error::ApiError;
use crate::identity::pii::PiiKeys;
use crate::store::Store;
use crate::store::engagements::EngagementRow;

/// A party as shown to the other: id and real name.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartyView {
    pub account_id: String,
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor: String,
    pub note: Option<String>,
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatingView {
    pub rater: String,
    pub score: i64,
    pub comment: Option<String>,
}

/// An engagement as its parties see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EngagementView {
    pub id: String,
    pub job_id: String,
    pub job_title: String,
    pub tenant: String,
    pub worker: PartyView,
    pub employer: PartyView,
    pub status: String,
    pub status_name: String,
    /// `application`, `offer` or `batch`.
    pub origin: String,
    pub agreement: Option<serde_json::Value>,
    pub agreement_hash: Option<String>,
    /// Whether the stored agreement still has the hash that was signed.
    pub agreement_intact: Option<bool>,
    pub worker_signed_at: Option<String>,
    pub employer_signed_at: Option<String>,
    pub checked_in_at: Option<String>,
    pub checked_out_at: Option<String>,
    pub paid_cents: Option<i64>,
    pub paid_method: Option<String>,
    pub paid_at: Option<String>,
    pub dispute_reason: Option<String>,
    /// The employer's contact number, in clear once the worker has accepted.
    pub contact_phone: Option<String>,
    pub history: Vec<EventView>,
    pub ratings: Vec<RatingView>,
    pub created_at: String,
}

async fn party(store: &Store, account: &str) -> Result<PartyView, ApiError> {
    let name = store.profile(account).await?.map(|p| p.name);
    Ok(PartyView { account_id: account.to_string(), name })
}

/// An engagement as its parties see it (the JSON API and the pages show the same).
pub async fn view(
    store: &Store,
    keys: &PiiKeys,
    e: &EngagementRow,
) -> Result<EngagementView, ApiError> {
    let job = crate::jobs::load(store, &e.job_id).await?;
    let agreement =
        e.agreement.as_deref().map(serde_json::from_str).transpose().map_err(ApiError::internal)?;
    let intact =
        e.agreement.as_deref().zip(e.agreement_hash.as_deref()).map(|(t, h)| super::verify(t, h));
    let status = Status::parse(&e.status)
        .ok_or_else(|| ApiError::internal(format!("stored engagement status {}", e.status)))?;
    let contact_phone = if status.engaged() {
        Some(keys.decrypt(&job.contact_phone_enc).map_err(ApiError::internal)?)
    } else {
        None
    };
    let history = store
        .engagement_events(&e.id)
        .await?
        .into_iter()
        .map(|h| EventView {
            from_status: h.from_status,
            to_status: h.to_status,
            actor: h.actor,
            note: h.note,
            at: h.at,
        })
        .collect();
    let ratings = store
        .engagement_ratings(&e.id)
        .await?
        .into_iter()
        .map(|(rater, score, comment)| RatingView { rater, score, comment })
        .collect();
    Ok(EngagementView {
        id: e.id.clone(),
        job_id: e.job_id.clone(),
        job_title: job.title,
        tenant: e.tenant_code.clone(),
        worker: party(store, &e.worker_id).await?,
        employer: party(store, &e.employer_id).await?,
        status: e.status.clone(),
        status_name: status.name_zh().to_string(),
        origin: e.origin.clone(),
        agreement,
        agreement_hash: e.agreement_hash.clone(),
        agreement_intact: intact,
        worker_signed_at: e.worker_signed_at.clone(),
        employer_signed_at: e.employer_signed_at.clone(),
        checked_in_at: e.checked_in_at.clone(),
        checked_out_at: e.checked_out_at.clone(),
        paid_cents: e.paid_cents,
        paid_method: e.paid_method.clone(),
        paid_at: e.paid_at.clone(),
        dispute_reason: e.dispute_reason.clone(),
        contact_phone,
        history,
        ratings,
        created_at: e.created_at.clone(),
    })
}
