//! Enrolments: a worker taking a place (and giving it back), and the staff's attendance and
//! completion steps with their transition table.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::skills::{self, CertificateInput};
use super::{TrainingView, not_found, view};
use crate::accounts::{AccountKind, Accounts};
use crate::error::ApiError;
use crate::identity::pii::mask_name;
use crate::store::Store;
use crate::store::audit::AuditEvent;
use crate::store::trainings::{EnrolRefused, EnrolmentRow, EnrolmentStep, SkillRow};

/// Where one worker's enrolment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Holds a place (已报名).
    Enrolled,
    /// Gave the place back before the start (已退出); the worker may enrol again.
    Withdrawn,
    /// The session was cancelled (培训取消).
    Cancelled,
    /// Came (已到课).
    Attended,
    /// Did not come (缺课); final.
    Absent,
    /// Finished, with a skill record (已结业); final.
    Completed,
}

impl Status {
    /// Every status, in the order of the enum.
    pub const ALL: [Status; 6] = [
        Status::Enrolled,
        Status::Withdrawn,
        Status::Cancelled,
        Status::Attended,
        Status::Absent,
        Status::Completed,
    ];

    /// As the API and the database spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Enrolled => "enrolled",
            Status::Withdrawn => "withdrawn",
            Status::Cancelled => "cancelled",
            Status::Attended => "attended",
            Status::Absent => "absent",
            Status::Completed => "completed",
        }
    }

    /// Its Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Status::Enrolled => "已报名",
            Status::Withdrawn => "已退出",
            Status::Cancelled => "培训取消",
            Status::Attended => "已到课",
            Status::Absent => "缺课",
            Status::Completed => "已结业",
        }
    }

    /// The status spelt `s`; `None` for anything else.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The staff's transition table: `enrolled` → `attended` | `absent`, `attended` →
    /// `completed`. (The worker's own withdrawal and a cancellation are not staff steps.)
    pub fn may_become(self, to: Status) -> bool {
        use Status::*;
        matches!((self, to), (Enrolled, Attended | Absent) | (Attended, Completed))
    }
}

/// A staff step on an enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Record that the worker came.
    Attend,
    /// Record that the worker did not come.
    Absent,
    /// Record that the worker finished (issues the skill record).
    Complete,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 3] = [Action::Attend, Action::Absent, Action::Complete];

    /// As the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Attend => "attend",
            Action::Absent => "absent",
            Action::Complete => "complete",
        }
    }

    /// The status it leads to.
    pub fn target(self) -> Status {
        match self {
            Action::Attend => Status::Attended,
            Action::Absent => Status::Absent,
            Action::Complete => Status::Completed,
        }
    }

    /// The action spelt `s`, or `invalid_action` (400, field `action`).
    pub fn parse(s: &str) -> Result<Action, ApiError> {
        Action::ALL.into_iter().find(|a| a.as_str() == s).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_action",
                "操作无效,应为 attend(到课)、absent(缺课)或 complete(结业)",
                "action must be attend, absent or complete",
            )
            .with_field("action")
        })
    }
}

fn conflict(code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, code, zh, en)
}

/// Why a place could not be taken, as the API says it.
pub fn refused(why: EnrolRefused) -> ApiError {
    match why {
        EnrolRefused::NotFound => not_found(),
        EnrolRefused::NotOpen => conflict(
            "training_not_open",
            "该培训已取消或已开始,不能报名",
            "the session is cancelled or has started",
        ),
        EnrolRefused::Full => conflict("training_full", "该培训名额已满", "every place is taken"),
        EnrolRefused::AlreadyEnrolled => {
            conflict("already_enrolled", "您已报名该培训", "already enrolled in this session")
        }
    }
}

/// Enrol worker `account` (of kind `kind`) in session `id`: workers with a real-name profile
/// only, once each, never beyond capacity.
pub async fn enrol(
    store: &Store,
    account: &str,
    kind: AccountKind,
    id: &str,
) -> Result<EnrolmentRow, ApiError> {
    if kind != AccountKind::Worker {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "workers_only",
            "只有零工可以报名培训",
            "only worker accounts enrol in training sessions",
        ));
    }
    if store.profile(account).await?.is_none() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "worker_profile_required",
            "请先填写零工实名信息,再报名培训",
            "fill in your real-name profile before enrolling",
        ));
    }
    let today = store.clock().today().to_string();
    store.enrol(id, account, &today, &store.now()).await?.map_err(refused)?;
    store.enrolment(id, account).await?.ok_or_else(not_found)
}

/// Give back a place before the session's start date.
pub async fn withdraw(store: &Store, account: &str, id: &str) -> Result<EnrolmentRow, ApiError> {
    let mine = store.enrolment(id, account).await?.ok_or_else(|| {
        ApiError::not_found(
            "enrolment_not_found",
            "您没有报名该培训",
            "not enrolled in this session",
        )
    })?;
    let today = store.clock().today().to_string();
    if !store.withdraw_enrolment(id, account, &today, &store.now()).await? {
        let now = Status::parse(&mine.status).map_or("", Status::name_zh);
        let zh = if mine.status == "enrolled" {
            "培训已开始或已取消,不能退出".to_string()
        } else {
            format!("您的报名状态为“{now}”,不能退出")
        };
        return Err(conflict(
            "cannot_withdraw",
            &zh,
            "only an enrolment of a session that has not started may be withdrawn",
        ));
    }
    store.enrolment(id, account).await?.ok_or_else(not_found)
}

/// One of one's enrolments, with its session.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyEnrolment {
    /// The enrolment.
    #[serde(flatten)]
    pub enrolment: EnrolmentRow,
    /// Its status in Chinese.
    pub status_name: &'static str,
    /// The session.
    pub training: TrainingView,
    /// Whether the worker may still withdraw (enrolled, before the start date).
    pub may_withdraw: bool,
}

/// A worker's own enrolments, the latest session first.
pub async fn mine(store: &Store, account: &str) -> Result<Vec<MyEnrolment>, ApiError> {
    let tenants = store.list_tenants().await?;
    let today = store.clock().today().to_string();
    Ok(store
        .enrolments_of(account)
        .await?
        .into_iter()
        .map(|(e, t)| {
            let may_withdraw = e.status == "enrolled" && t.status == "open" && t.starts_on > today;
            MyEnrolment {
                status_name: Status::parse(&e.status).map_or("", Status::name_zh),
                enrolment: e,
                training: view(t, &tenants),
                may_withdraw,
            }
        })
        .collect())
}

/// One line of a session's roster, as its market's staff see it (names and phones masked; the
/// audited people read shows them in full).
#[derive(Debug, Serialize, ToSchema)]
pub struct RosterLine {
    /// The enrolment.
    #[serde(flatten)]
    pub enrolment: EnrolmentRow,
    /// Its status in Chinese.
    pub status_name: &'static str,
    /// The worker's name, masked (`张**`).
    pub name: String,
    /// The worker's phone, masked (`139****0001`).
    pub phone: String,
    /// The staff steps open now (`attend`, `absent`, `complete`).
    pub actions: Vec<&'static str>,
    /// The skill record, once completed.
    pub skill: Option<SkillRow>,
}

/// A session's roster for the staff of `tenant` (another market's session is not found).
pub async fn roster(
    store: &Store,
    accounts: &Accounts,
    tenant: &str,
    id: &str,
) -> Result<(TrainingView, Vec<RosterLine>), ApiError> {
    let t = store.training_in_tenant(tenant, id).await?.ok_or_else(not_found)?;
    let records = store.training_skill_records(id).await?;
    let mut lines = Vec::new();
    for e in store.training_enrolments(id).await? {
        let name =
            store.profile(&e.account_id).await?.map_or_else(String::new, |p| mask_name(&p.name));
        let phone = match store.account(&e.account_id).await? {
            Some(a) => accounts.view(&a, false)?.phone,
            None => String::new(),
        };
        let status = Status::parse(&e.status);
        let actions = Action::ALL
            .into_iter()
            .filter(|a| status.is_some_and(|s| s.may_become(a.target())))
            .map(Action::as_str)
            .collect();
        lines.push(RosterLine {
            status_name: status.map_or("", Status::name_zh),
            skill: records.iter().find(|r| r.account_id == e.account_id).cloned(),
            enrolment: e,
            name,
            phone,
            actions,
        });
    }
    Ok((view(t, &store.list_tenants().await?), lines))
}

/// What a staff step carries.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// `attend`, `absent` or `complete`.
    pub action: String,
    /// With `complete` of a `skills` session only: the 职业技能等级证书 earned.
    pub certificate: Option<CertificateInput>,
}

/// A staff member's step on a worker's enrolment in a session of `tenant`: checked against the
/// transition table and the session's dates, applied (with the skill record of a completion)
/// and audited in one transaction. Returns the enrolment as it now is.
pub async fn step(
    store: &Store,
    tenant: &str,
    actor: &str,
    id: &str,
    account: &str,
    input: &StepInput,
) -> Result<EnrolmentRow, ApiError> {
    let action = Action::parse(input.action.trim())?;
    let t = store.training_in_tenant(tenant, id).await?.ok_or_else(not_found)?;
    let e = store.enrolment(id, account).await?.ok_or_else(|| {
        ApiError::not_found("enrolment_not_found", "该零工没有报名这期培训", "no such enrolment")
            .with_field("account")
    })?;
    let from = Status::parse(&e.status)
        .ok_or_else(|| ApiError::internal(format!("stored enrolment status {}", e.status)))?;
    let to = action.target();
    if !from.may_become(to) {
        let zh = format!("不能从“{}”变为“{}”", from.name_zh(), to.name_zh());
        let en = format!("an enrolment cannot go from {} to {}", from.as_str(), to.as_str());
        return Err(conflict("invalid_transition", &zh, &en).with_field("action"));
    }
    let today = store.clock().today();
    if today.to_string() < t.starts_on {
        return Err(conflict(
            "training_not_started",
            "培训尚未开始,开始当天起才能登记到课或结业",
            "attendance and completion are recorded from the start date on",
        )
        .with_field("action"));
    }
    if t.status != "open" {
        return Err(conflict("training_cancelled", "该培训已取消", "the session is cancelled"));
    }
    if input.certificate.is_some() && action != Action::Complete {
        return Err(ApiError::bad_request(
            "certificate_not_allowed",
            "只有结业时才能登记职业技能等级证书",
            "a certificate is recorded only with complete",
        )
        .with_field("certificate"));
    }
    let now = store.now();
    let record = match action {
        Action::Complete => {
            Some(skills::record(&t, account, actor, input.certificate.as_ref(), today, &now)?)
        }
        _ => None,
    };
    let detail = serde_json::json!({
        "account": account, "from": from.as_str(), "to": to.as_str(),
        "certificate_level": record.as_ref().and_then(|r| r.cert_level),
    });
    let audit = AuditEvent {
        actor,
        tenant_code: Some(tenant),
        action: "training.enrolment",
        target: Some(id),
        detail,
    };
    let s = EnrolmentStep {
        training_id: id,
        account_id: account,
        from: from.as_str(),
        to: to.as_str(),
        at: &now,
        record: record.as_ref(),
    };
    if !store.step_enrolment(&s, &audit).await? {
        return Err(conflict(
            "concurrent_change",
            "该报名刚被他人更改,请刷新后重试",
            "the enrolment changed meanwhile; reload and retry",
        ));
    }
    store.enrolment(id, account).await?.ok_or_else(not_found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transition_table_allows_only_the_documented_steps() {
        use Status::*;
        let allowed: Vec<(Status, Status)> = Status::ALL
            .iter()
            .flat_map(|a| Status::ALL.iter().map(move |b| (*a, *b)))
            .filter(|(a, b)| a.may_become(*b))
            .collect();
        assert_eq!(allowed, [(Enrolled, Attended), (Enrolled, Absent), (Attended, Completed)]);
        assert_eq!(Action::parse("finish").unwrap_err().field.as_deref(), Some("action"));
        assert_eq!(Action::parse("complete").unwrap().target(), Completed);
    }
}
