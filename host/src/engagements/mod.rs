//! Engagements: one worker on one job, from application or offer to payment and ratings
//! (plan §10: 结果确认, 快速签约, and the wage settlement that follows).
//!
//! The life of an engagement is one table of transitions ([`rule`]): who may act, from which
//! [`Status`], to which. [`workflow`] owns every step (taking a place, each action, the
//! agreement, payment, ratings): it checks the party, the moment and the input, decides what
//! the step writes ([`Transition`](crate::store::engagements::Transition): the new status, a
//! typed stamp, its effects on the post and the worker's matching figures), and the store writes
//! exactly that, only if the status is still the one that was checked. [`view`] is the read
//! model both the JSON API and the pages show.

pub mod view;
pub mod workflow;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// Which side of an engagement acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The worker on the job.
    Worker,
    /// The employer who posted the job.
    Employer,
}

/// What a party does to an engagement (`POST /api/v1/engagements/{id}/{action}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Employer: offer the job to an applicant.
    Offer,
    /// Employer: refuse an application (the place is freed).
    TurnDown,
    /// Worker: withdraw an application or an offer not yet accepted.
    Withdraw,
    /// Worker: refuse an offer.
    Decline,
    /// Worker: accept an offer (结果确认); the agreement is drawn up.
    Accept,
    /// Either: sign the agreement (快速签约); signed when both have.
    Sign,
    /// Employer: the signed worker did not come (the place is freed; matching counts it).
    NoShow,
    /// Worker: start work.
    CheckIn,
    /// Worker: finish work.
    CheckOut,
    /// Employer: record the wage paid (amount, method, time).
    Pay,
    /// Worker: confirm the wage was received.
    Confirm,
    /// Worker: dispute the payment.
    Dispute,
    /// Either: rate the other after the work.
    Rate,
}

impl Action {
    /// Every action, in the order of the enum.
    pub const ALL: [Action; 13] = [
        Action::Offer,
        Action::TurnDown,
        Action::Withdraw,
        Action::Decline,
        Action::Accept,
        Action::Sign,
        Action::NoShow,
        Action::CheckIn,
        Action::CheckOut,
        Action::Pay,
        Action::Confirm,
        Action::Dispute,
        Action::Rate,
    ];

    /// As the URL spells it (kebab-case: `turn-down`, `no-show`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Offer => "offer",
            Action::TurnDown => "turn-down",
            Action::Withdraw => "withdraw",
            Action::Decline => "decline",
            Action::Accept => "accept",
            Action::Sign => "sign",
            Action::NoShow => "no-show",
            Action::CheckIn => "check-in",
            Action::CheckOut => "check-out",
            Action::Pay => "pay",
            Action::Confirm => "confirm",
            Action::Dispute => "dispute",
            Action::Rate => "rate",
        }
    }

    /// The action spelt `s` (as [`Action::as_str`] writes it); `None` for anything else.
    pub fn parse(s: &str) -> Option<Action> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Chinese name, for messages.
    pub fn zh(self) -> &'static str {
        match self {
            Action::Offer => "录用",
            Action::TurnDown => "婉拒报名",
            Action::Withdraw => "撤回报名",
            Action::Decline => "拒绝录用",
            Action::Accept => "确认录用",
            Action::Sign => "签约",
            Action::NoShow => "登记未到岗",
            Action::CheckIn => "上工签到",
            Action::CheckOut => "完工签退",
            Action::Pay => "登记工资发放",
            Action::Confirm => "确认收到工资",
            Action::Dispute => "对工资提出异议",
            Action::Rate => "评价",
        }
    }
}

/// Where an engagement is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The worker applied; the employer has not answered (已报名).
    Applied,
    /// The employer offered the job (or a batch assignment did); the worker has not answered.
    Offered,
    /// The worker accepted (结果确认); the agreement is drawn up and waits for both signatures.
    Accepted,
    /// Both parties signed the agreement (快速签约).
    Signed,
    /// The worker started work.
    CheckedIn,
    /// The worker finished work.
    CheckedOut,
    /// The employer recorded the wage paid.
    Paid,
    /// The worker confirmed receiving the wage; the end of a good engagement.
    Confirmed,
    /// The worker disputes the payment.
    Disputed,
    /// The worker withdrew an application or an unanswered offer; the place is freed.
    Withdrawn,
    /// The worker refused the offer; the place is freed.
    Declined,
    /// The employer refused the application; the place is freed.
    TurnedDown,
    /// The signed worker did not come; the place is freed and matching counts it.
    NoShow,
}

impl Status {
    /// Every status, in the order of the enum.
    pub const ALL: [Status; 13] = [
        Status::Applied,
        Status::Offered,
        Status::Accepted,
        Status::Signed,
        Status::CheckedIn,
        Status::CheckedOut,
        Status::Paid,
        Status::Confirmed,
        Status::Disputed,
        Status::Withdrawn,
        Status::Declined,
        Status::TurnedDown,
        Status::NoShow,
    ];

    /// As stored and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Applied => "applied",
            Status::Offered => "offered",
            Status::Accepted => "accepted",
            Status::Signed => "signed",
            Status::CheckedIn => "checked_in",
            Status::CheckedOut => "checked_out",
            Status::Paid => "paid",
            Status::Confirmed => "confirmed",
            Status::Disputed => "disputed",
            Status::Withdrawn => "withdrawn",
            Status::Declined => "declined",
            Status::TurnedDown => "turned_down",
            Status::NoShow => "no_show",
        }
    }

    /// The status spelt `s` (as [`Status::as_str`] writes it); `None` for anything else.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Chinese name, for people.
    pub fn name_zh(self) -> &'static str {
        match self {
            Status::Applied => "已报名",
            Status::Offered => "已录用待确认",
            Status::Accepted => "已确认待签约",
            Status::Signed => "已签约",
            Status::CheckedIn => "已上工",
            Status::CheckedOut => "已完工",
            Status::Paid => "已发放工资",
            Status::Confirmed => "已确认收款",
            Status::Disputed => "工资有异议",
            Status::Withdrawn => "已撤回",
            Status::Declined => "已拒绝录用",
            Status::TurnedDown => "报名未通过",
            Status::NoShow => "未到岗",
        }
    }

    /// Ending here gives the post's place back.
    pub fn releases_place(self) -> bool {
        matches!(self, Status::Withdrawn | Status::Declined | Status::TurnedDown | Status::NoShow)
    }

    /// The worker has accepted and not dropped out: the parties see each other's contacts.
    pub fn engaged(self) -> bool {
        !matches!(
            self,
            Status::Applied
                | Status::Offered
                | Status::Withdrawn
                | Status::Declined
                | Status::TurnedDown
                | Status::NoShow
        )
    }
}

/// Who may take an action, from which statuses, and the status it leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The party that acts; [`Action::Sign`] and [`Action::Rate`] are for both.
    pub party: Party,
    /// The statuses the action may be taken from.
    pub from: &'static [Status],
    /// `None`: the status does not change (a rating, the first of two signatures).
    pub to: Option<Status>,
}

/// The transition table.
pub fn rule(action: Action) -> Rule {
    use Status::*;
    let (party, from, to): (Party, &'static [Status], Option<Status>) = match action {
        Action::Offer => (Party::Employer, &[Applied], Some(Offered)),
        Action::TurnDown => (Party::Employer, &[Applied], Some(TurnedDown)),
        Action::Withdraw => (Party::Worker, &[Applied, Offered], Some(Withdrawn)),
        Action::Decline => (Party::Worker, &[Offered], Some(Declined)),
        Action::Accept => (Party::Worker, &[Offered], Some(Accepted)),
        Action::Sign => (Party::Worker, &[Accepted], None),
        Action::NoShow => (Party::Employer, &[Signed], Some(NoShow)),
        Action::CheckIn => (Party::Worker, &[Signed], Some(CheckedIn)),
        Action::CheckOut => (Party::Worker, &[CheckedIn], Some(CheckedOut)),
        Action::Pay => (Party::Employer, &[CheckedOut], Some(Paid)),
        Action::Confirm => (Party::Worker, &[Paid], Some(Confirmed)),
        Action::Dispute => (Party::Worker, &[Paid], Some(Disputed)),
        Action::Rate => (Party::Worker, &[CheckedOut, Paid, Confirmed, Disputed], None),
    };
    Rule { party, from, to }
}

/// Signing and rating are for both parties; the rule's party is then only the default.
pub fn either_party(action: Action) -> bool {
    matches!(action, Action::Sign | Action::Rate)
}

/// The actions `party` may take on an engagement in `status`, in the table's order: what a page
/// offers (whether this party has signed or rated already is [`view::EngagementView::actions_for`]'s
/// to say).
pub fn allowed(status: Status, party: Party) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| {
            let r = rule(*a);
            (r.party == party || either_party(*a)) && r.from.contains(&status)
        })
        .collect()
}

/// How a wage was paid.
pub const PAYMENT_METHODS: [&str; 5] = ["cash", "bank_transfer", "wechat", "alipay", "other"];

/// The agreement both parties sign (快速签约): what was agreed, frozen when the worker accepts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Agreement {
    /// The engagement's id (UUID v7).
    pub engagement_id: String,
    /// The post's id (UUID v7).
    pub job_id: String,
    /// The name of the market the post was published in.
    pub market: String,
    /// The post's title.
    pub title: String,
    /// The post's occupation code (职业分类大典, e.g. `4-02-05-01`).
    pub occupation_code: String,
    /// The employer's real name as in their profile.
    pub employer_name: String,
    /// The worker's real name as in their profile.
    pub worker_name: String,
    /// The first day of work (China date, `YYYY-MM-DD`).
    pub work_start: String,
    /// The last day of work (China date, `YYYY-MM-DD`).
    pub work_end: String,
    /// Working hours per day.
    pub daily_hours: f64,
    /// Where the work is.
    pub address: String,
    /// The wage in fen (1/100 yuan) per `wage_unit`.
    pub wage_cents: i64,
    /// What the wage is paid for: `hour`, `day`, `piece` or `month`.
    pub wage_unit: String,
    /// When the wage is settled: `daily`, `weekly`, `monthly` or `on_completion`.
    pub settlement: String,
    /// When the worker accepted (UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`).
    pub accepted_at: String,
    /// The terms in words.
    pub terms: String,
}

/// The agreement as stored (canonical JSON: serde_json writes struct fields in declaration
/// order) and its sha256, which both parties sign and anyone can recompute later.
pub fn seal(agreement: &Agreement) -> (String, String) {
    let text = serde_json::to_string(agreement).expect("an agreement always serialises");
    let hash = hex::encode(Sha256::digest(text.as_bytes()));
    (text, hash)
}

/// Whether stored agreement text still has the hash that was signed.
pub fn verify(text: &str, hash: &str) -> bool {
    hex::encode(Sha256::digest(text.as_bytes())) == hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreement() -> Agreement {
        Agreement {
            engagement_id: "e1".into(),
            job_id: "j1".into(),
            market: "兰考县零工市场".into(),
            title: "仓库装卸".into(),
            occupation_code: "4-02-05-01".into(),
            employer_name: "兰考某物流有限公司".into(),
            worker_name: "张三".into(),
            work_start: "2026-12-01".into(),
            work_end: "2026-12-01".into(),
            daily_hours: 8.0,
            address: "兰考县兰阳街道".into(),
            wage_cents: 20000,
            wage_unit: "day".into(),
            settlement: "daily".into(),
            accepted_at: "2026-11-29T08:00:00.000000Z".into(),
            terms: "按日结算".into(),
        }
    }

    #[test]
    fn a_sealed_agreement_verifies_and_any_edit_breaks_it() {
        let (text, hash) = seal(&agreement());
        assert!(verify(&text, &hash));
        assert_eq!(seal(&agreement()).1, hash, "sealing is deterministic");
        let edited = text.replace("20000", "2000");
        assert!(!verify(&edited, &hash));
    }

    /// The whole transition table, written out: a change to any rule fails here first.
    #[test]
    fn the_transition_table_is_exactly_this() {
        use Party::{Employer, Worker};
        use Status::*;
        let expected: [(Action, Party, &[Status], Option<Status>); 13] = [
            (Action::Offer, Employer, &[Applied], Some(Offered)),
            (Action::TurnDown, Employer, &[Applied], Some(TurnedDown)),
            (Action::Withdraw, Worker, &[Applied, Offered], Some(Withdrawn)),
            (Action::Decline, Worker, &[Offered], Some(Declined)),
            (Action::Accept, Worker, &[Offered], Some(Accepted)),
            (Action::Sign, Worker, &[Accepted], None),
            (Action::NoShow, Employer, &[Signed], Some(NoShow)),
            (Action::CheckIn, Worker, &[Signed], Some(CheckedIn)),
            (Action::CheckOut, Worker, &[CheckedIn], Some(CheckedOut)),
            (Action::Pay, Employer, &[CheckedOut], Some(Paid)),
            (Action::Confirm, Worker, &[Paid], Some(Confirmed)),
            (Action::Dispute, Worker, &[Paid], Some(Disputed)),
            (Action::Rate, Worker, &[CheckedOut, Paid, Confirmed, Disputed], None),
        ];
        assert_eq!(expected.map(|(a, ..)| a), Action::ALL, "every action, in order");
        for (action, party, from, to) in expected {
            assert_eq!(rule(action), Rule { party, from, to }, "{}", action.as_str());
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        let both: Vec<Action> = Action::ALL.into_iter().filter(|a| either_party(*a)).collect();
        assert_eq!(both, [Action::Sign, Action::Rate], "only signing and rating are for both");
        let releasing: Vec<Status> =
            Status::ALL.into_iter().filter(|s| s.releases_place()).collect();
        assert_eq!(releasing, [Withdrawn, Declined, TurnedDown, NoShow]);
        for st in Status::ALL {
            assert_eq!(Status::parse(st.as_str()), Some(st));
        }
    }

    #[test]
    fn each_party_is_offered_only_its_own_next_steps() {
        use Action::*;
        assert_eq!(allowed(Status::Applied, Party::Employer), [Offer, TurnDown]);
        assert_eq!(allowed(Status::Applied, Party::Worker), [Withdraw]);
        assert_eq!(allowed(Status::Accepted, Party::Employer), [Sign]);
        assert_eq!(allowed(Status::Signed, Party::Employer), [NoShow]);
        assert_eq!(allowed(Status::CheckedOut, Party::Employer), [Pay, Rate]);
        assert_eq!(allowed(Status::Paid, Party::Worker), [Confirm, Dispute, Rate]);
        assert!(allowed(Status::NoShow, Party::Employer).is_empty());
    }
}
