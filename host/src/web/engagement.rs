//! `POST /engagements/{id}/{action}`: every engagement action of both parties (the employer's
//! post page and the worker's own page post here), through the same
//! [`workflow::act`] as `POST /api/v1/engagements/{id}/{action}`.
//!
//! The form carries `csrf_token`, `back` (a local path to return to; the party's home
//! otherwise) and the action's own fields as the JSON route takes them: `agreement_hash` (sign),
//! `amount` in yuan, `method` and optionally `paid_at` in China's time (pay), `reason` (dispute;
//! optional for turn-down, withdraw, decline), `score` and `comment` (rate). Done: 303 to `back`.
//! Refused: a page with the refusal in Chinese, next to the field it names, the action's form
//! again and the way back; nothing is written.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::form::{FormErrors, PageForm};
use super::page::{Layout, home_of, local_path, redirect, render};
use super::{PageCtx, PageError, fmt};
use crate::api::AppState;
use crate::engagements::view::{EngagementView, view};
use crate::engagements::workflow::{self, ActionInput};
use crate::engagements::{Action, PAYMENT_METHODS, Party};
use crate::error::ApiError;

/// The fields an action's form may carry, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ActionTyped {
    /// Where to go afterwards (a local path).
    pub back: String,
    /// `sign`: the agreement's hash.
    pub agreement_hash: String,
    /// `pay`: the amount in yuan.
    pub amount: String,
    /// `pay`: how it was paid.
    pub method: String,
    /// `pay`: when, in China's time (default now).
    pub paid_at: String,
    /// `dispute` (and optionally `turn-down`, `withdraw`, `decline`): why.
    pub reason: String,
    /// `rate`: 1 to 5.
    pub score: String,
    /// `rate`: a comment.
    pub comment: String,
}

/// One action a party may take now, as a button (with the fields it needs).
pub struct ActionButton {
    /// The action as the URL spells it.
    pub action: &'static str,
    /// What the button says.
    pub label: &'static str,
    /// Which fields the form has: `plain`, `sign`, `pay`, `rate`, `reason` or `dispute`.
    pub kind: &'static str,
    /// `pay`: the payment methods to choose from (value, words).
    pub methods: Vec<(&'static str, &'static str)>,
}

impl ActionButton {
    fn of(action: Action) -> ActionButton {
        let kind = match action {
            Action::Sign => "sign",
            Action::Pay => "pay",
            Action::Rate => "rate",
            Action::Dispute => "dispute",
            Action::TurnDown | Action::Withdraw | Action::Decline => "reason",
            _ => "plain",
        };
        let methods = if kind == "pay" {
            PAYMENT_METHODS.iter().map(|m| (*m, fmt::payment_method(m))).collect()
        } else {
            Vec::new()
        };
        ActionButton { action: action.as_str(), label: action.zh(), kind, methods }
    }
}

/// An engagement as a card: who, where it stands, and what this party may do now.
pub struct EngagementCard {
    /// The engagement's id.
    pub id: String,
    /// The post's title.
    pub job_title: String,
    /// The post the engagement is for.
    pub job_id: String,
    /// The other party's name (the worker's for the employer, the employer's for the worker).
    pub other: String,
    /// The status (a CSS class too).
    pub status: String,
    /// The status in words.
    pub status_name: String,
    /// Facts so far: how it began, signatures, payment, ratings.
    pub facts: Vec<String>,
    /// The hash of the agreement to sign, if drawn up.
    pub agreement_hash: String,
    /// What this party may do now.
    pub actions: Vec<ActionButton>,
}

impl EngagementCard {
    /// The card of `v` as `party` sees it.
    pub fn of(v: &EngagementView, party: Party) -> EngagementCard {
        let e = &v.engagement;
        let other = match party {
            Party::Employer => &v.worker.name,
            Party::Worker => &v.employer.name,
        };
        let mut facts = vec![match e.origin.as_str() {
            "application" => "零工报名".to_string(),
            "batch" => "市场配岗".to_string(),
            _ => "用工方邀约".to_string(),
        }];
        if let Some(a) = &v.agreement {
            facts.push(format!(
                "协议:{} · {} · {}",
                a["title"].as_str().unwrap_or_default(),
                fmt::days(
                    a["work_start"].as_str().unwrap_or_default(),
                    a["work_end"].as_str().unwrap_or_default()
                ),
                fmt::wage(
                    a["wage_cents"].as_i64().unwrap_or_default(),
                    a["wage_unit"].as_str().unwrap_or_default()
                ),
            ));
            let signed = |at: &Option<String>| {
                at.as_deref().map_or("未签".to_string(), |t| format!("{}已签", fmt::instant(t)))
            };
            facts.push(format!(
                "零工{} · 用工方{}",
                signed(&e.worker_signed_at),
                signed(&e.employer_signed_at)
            ));
        }
        if let (Some(cents), Some(method)) = (e.paid_cents, &e.paid_method) {
            let at = e.paid_at.as_deref().map(fmt::instant).unwrap_or_default();
            facts.push(format!("已发放 {}({}){at}", fmt::yuan(cents), fmt::payment_method(method)));
        }
        if let Some(reason) = &e.dispute_reason {
            facts.push(format!("异议:{reason}"));
        }
        for r in &v.ratings {
            let who = if r.rater == e.employer_id { "用工方" } else { "零工" };
            let comment = r.comment.as_deref().map(|c| format!(":{c}")).unwrap_or_default();
            facts.push(format!("{who}评价 {} 分{comment}", r.score));
        }
        EngagementCard {
            id: e.id.clone(),
            job_title: v.job_title.clone(),
            job_id: e.job_id.clone(),
            other: other.clone().unwrap_or_else(|| "(未填写姓名)".into()),
            status: e.status.clone(),
            status_name: v.status_name.clone(),
            facts,
            agreement_hash: e.agreement_hash.clone().unwrap_or_default(),
            actions: v.actions_for(party).into_iter().map(ActionButton::of).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "engagement_refused.html")]
struct RefusedPage {
    layout: Layout,
    action_name: &'static str,
    card: Option<EngagementCard>,
    back: String,
    typed: ActionTyped,
    errors: FormErrors,
}

/// `POST /engagements/{id}/{action}`
pub async fn act(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, action)): Path<(String, String)>,
    PageForm(typed): PageForm<ActionTyped>,
) -> Result<Response, PageError> {
    let me = ctx.actor()?;
    let action = Action::parse(&action)
        .ok_or_else(|| ApiError::not_found("action_not_found", "没有这个操作", "unknown action"))?;
    let back = local_path(Some(typed.back.trim())).map_or_else(|| home_of(me), str::to_string);
    let done = match input(&typed) {
        Ok(input) => workflow::act(&state.store, &me.id, &id, action, &input).await,
        Err(err) => Err(err),
    };
    let err = match done {
        Ok(_) => return Ok(redirect(&back)),
        Err(err) if err.status.is_client_error() => as_typed(err),
        Err(err) => return Err(err.into()),
    };
    // The refusal is shown with the action's form again, when the caller is a party at all.
    let card = match workflow::as_party(&state.store, &me.id, &id).await {
        Ok((e, party)) => {
            let mut card =
                EngagementCard::of(&view(&state.store, state.accounts.keys(), &e).await?, party);
            card.actions.retain(|a| a.action == action.as_str());
            Some(card)
        }
        Err(_) => None,
    };
    let status = err.status;
    let page = RefusedPage {
        layout: ctx.layout(&format!("未能{}", action.zh())),
        action_name: action.zh(),
        card,
        back,
        typed,
        errors: FormErrors::from_error(&err).shown_in(&[
            "agreement_hash",
            "amount",
            "method",
            "paid_at",
            "reason",
            "score",
            "comment",
        ]),
    };
    render(status, &page)
}

/// The domain names the amount in fen; the form has it in yuan.
fn as_typed(mut err: ApiError) -> ApiError {
    if err.field.as_deref() == Some("amount_cents") {
        err.field = Some("amount".into());
    }
    err
}

/// The JSON route's input for what was typed (empty fields are absent); a number the form
/// cannot read names its field.
fn input(t: &ActionTyped) -> Result<ActionInput, ApiError> {
    let some = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
    let invalid = |field: &str, zh: &str| {
        ApiError::bad_request("invalid_field", zh, &format!("{field}: not a number"))
            .with_field(field)
    };
    let amount_cents = match some(&t.amount) {
        None => None,
        Some(a) => Some(
            fmt::parse_yuan(&a)
                .ok_or_else(|| invalid("amount", "请填写实发金额(元),如 200 或 200.50"))?,
        ),
    };
    let score = match some(&t.score) {
        None => None,
        Some(s) => Some(s.parse::<i64>().map_err(|_| invalid("score", "评分应为1至5分"))?),
    };
    Ok(ActionInput {
        agreement_hash: some(&t.agreement_hash),
        amount_cents,
        method: some(&t.method),
        paid_at: some(&t.paid_at).map(|p| fmt::china_time(&p)),
        reason: some(&t.reason),
        score,
        comment: some(&t.comment),
    })
}
