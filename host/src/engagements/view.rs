//! The read model of an engagement: what its parties see, in the JSON API and on the pages.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Action, Party, Status};
use crate::error::ApiError;
use crate::identity::pii::PiiKeys;
use crate::store::Store;
use crate::store::engagements::EngagementRow;

/// A party as shown to the other: id and real name.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartyView {
    /// The party's account id (UUID v7).
    pub account_id: String,
    /// The real name from the party's profile; `None` when they have no profile yet.
    pub name: Option<String>,
}

/// One change of an engagement's status, as its history shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    /// The status before; `None` for the first event (the engagement began).
    pub from_status: Option<String>,
    /// The status after (the same as before for the first of two signatures).
    pub to_status: String,
    /// The account that made the change: the worker, the employer, or the staff member who
    /// published a batch assignment.
    pub actor: String,
    /// A note given with the change (a reason, `worker signed`, …), if any.
    pub note: Option<String>,
    /// When it happened (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub at: String,
}

/// A rating one party gave the other after the work.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingView {
    /// The account that rated (the ratee is the other party).
    pub rater: String,
    /// 1 to 5.
    pub score: i64,
    /// An optional comment, at most 200 characters.
    pub comment: Option<String>,
}

/// An engagement as its parties see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EngagementView {
    /// The engagement as stored (its shown fields).
    #[serde(flatten)]
    pub engagement: EngagementRow,
    /// The post's title as it is now.
    pub job_title: String,
    /// The worker and their real name.
    pub worker: PartyView,
    /// The employer and their real name.
    pub employer: PartyView,
    /// The status in Chinese, for people (e.g. 已签约).
    pub status_name: String,
    /// The agreement drawn up when the worker accepted (see [`super::Agreement`]); `None` before.
    pub agreement: Option<serde_json::Value>,
    /// Whether the stored agreement still has the hash that was signed.
    pub agreement_intact: Option<bool>,
    /// The employer's contact number, in clear once the worker has accepted.
    pub contact_phone: Option<String>,
    /// Every status change, oldest first.
    pub history: Vec<EventView>,
    /// The ratings given so far (at most one per party).
    pub ratings: Vec<RatingView>,
}

impl EngagementView {
    /// What `party` may do now: the transition table's actions from this status, less signing
    /// once signed and rating once rated.
    pub fn actions_for(&self, party: Party) -> Vec<Action> {
        let Some(status) = Status::parse(&self.engagement.status) else { return Vec::new() };
        let me = match party {
            Party::Worker => &self.engagement.worker_id,
            Party::Employer => &self.engagement.employer_id,
        };
        let signed = match party {
            Party::Worker => self.engagement.worker_signed_at.is_some(),
            Party::Employer => self.engagement.employer_signed_at.is_some(),
        };
        let rated = self.ratings.iter().any(|r| &r.rater == me);
        super::allowed(status, party)
            .into_iter()
            .filter(|a| !((*a == Action::Sign && signed) || (*a == Action::Rate && rated)))
            .collect()
    }
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
        job_title: job.title,
        worker: party(store, &e.worker_id).await?,
        employer: party(store, &e.employer_id).await?,
        status_name: status.name_zh().to_string(),
        agreement,
        agreement_intact: intact,
        contact_phone,
        history,
        ratings,
        engagement: e.clone(),
    })
}

/// Several engagements as their parties see them, in the order given.
pub async fn views(
    store: &Store,
    keys: &PiiKeys,
    rows: &[EngagementRow],
) -> Result<Vec<EngagementView>, ApiError> {
    let mut out = Vec::with_capacity(rows.len());
    for e in rows {
        out.push(view(store, keys, e).await?);
    }
    Ok(out)
}
