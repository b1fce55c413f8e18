//! Real-name profiles (plan §6): what workers, employers and HR agencies must state, each field
//! checked with a message that names the field and the rule, and staff verification (双实名).
//!
//! The input may also come as an ID-card reader or phone app sends it after a scan
//! (docs/identity.md): `scan.name` and `scan.id_number` fill the fields, and the card's printed
//! sex and birth date must agree with the number.
//!
//! [`submit`] and [`verify`] are the workflows every door (API, pages, demo) calls: a profile is
//! stored unverified, an optional external provider or the market's staff decide, every decision
//! is audited, and the worker's matching features follow the stored profile.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::identity::idcard::{self, Sex};
use crate::identity::uscc;

/// 职业技能等级: 0 none, 1 五级/初级工, 2 四级/中级工, 3 三级/高级工, 4 二级/技师, 5 一级/高级技师.
pub const SKILL_LEVELS: [&str; 6] =
    ["无等级", "五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师"];

/// Who a real-name profile describes; stored as the snake_case name in `profiles.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    /// A gig worker: ID number, occupations, skill level, wage expectation (worker accounts).
    Worker,
    /// An enterprise hiring (用工单位): credit code and contact (employer accounts).
    Enterprise,
    /// A person hiring for themselves (个人雇主): ID number and contact (employer accounts).
    IndividualEmployer,
    /// A human-resources service agency: credit code, licence and legal representative (employer
    /// accounts).
    Agency,
}

impl ProfileKind {
    /// The stored and serialised name (`worker`, `enterprise`, `individual_employer`, `agency`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Worker => "worker",
            Self::Enterprise => "enterprise",
            Self::IndividualEmployer => "individual_employer",
            Self::Agency => "agency",
        }
    }
}

/// What an ID-card reader or a phone app sends after scanning a card.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardScan {
    /// `id_card_reader` or `phone_app`.
    pub source: String,
    /// The name as read from the card.
    pub name: String,
    /// The ID number as read from the card.
    pub id_number: String,
    /// As printed: 男 or 女.
    pub sex: Option<String>,
    /// As printed, `YYYYMMDD`.
    pub birth: Option<String>,
    /// The address as printed, if read (not stored).
    pub address: Option<String>,
}

/// The profile as submitted (`PUT /api/v1/me/profile`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    /// What the profile describes; it must fit the account (a worker's for a worker account).
    pub kind: ProfileKind,
    /// The market whose staff verify this profile (where the person registered).
    pub home_tenant: String,
    /// Real name (person) or registered name (organisation).
    pub name: Option<String>,
    /// Resident ID number: workers and individual employers.
    pub id_number: Option<String>,
    /// A card scan; when present, its name and number replace `name` and `id_number`.
    pub scan: Option<CardScan>,
    /// Workers: occupation codes (职业分类大典, e.g. `4-02-05-01`).
    #[serde(default)]
    pub occupations: Vec<String>,
    /// Workers: 0–5, see [`SKILL_LEVELS`].
    pub skill_level: Option<u8>,
    /// Workers: expected wage in fen per `wage_unit`.
    pub wage_expectation_cents: Option<i64>,
    /// Workers: what `wage_expectation_cents` is per: `hour`, `day` (the default), `piece` or
    /// `month`.
    pub wage_unit: Option<String>,
    /// Workers: where they usually start from (for distances); the home market's place if absent.
    pub location: Option<crate::tenants::GeoPoint>,
    /// Workers: certificates held (e.g. 健康证, 特种作业操作证).
    #[serde(default)]
    pub certificates: Vec<String>,
    /// Enterprises and agencies: 统一社会信用代码.
    pub uscc: Option<String>,
    /// Employers: the contact person.
    pub contact_name: Option<String>,
    /// Agencies: 人力资源服务许可证 number.
    pub license_no: Option<String>,
    /// Agencies: 法定代表人.
    pub legal_rep: Option<String>,
}

/// A checked profile, ready to store.
#[derive(Debug, Clone)]
pub struct CheckedProfile {
    /// What the profile describes.
    pub kind: ProfileKind,
    /// The market whose staff verify the profile.
    pub home_tenant: String,
    /// The real or registered name, checked (2 to 50 characters, no digits).
    pub name: String,
    /// Normalised 18-character ID number, if the kind has one.
    pub id: Option<idcard::IdNumber>,
    /// The checked 统一社会信用代码 of an enterprise or agency; `None` for people.
    pub uscc: Option<String>,
    /// Kind-specific fields, as stored (`details` column): never PII.
    pub details: serde_json::Value,
}

impl CheckedProfile {
    /// The row to store for `account_id` (unverified, ID number encrypted) and the ID number's
    /// blind index.
    pub fn to_row(
        &self,
        account_id: &str,
        keys: &crate::identity::pii::PiiKeys,
        now: &str,
    ) -> (crate::store::profiles::ProfileRow, Option<String>) {
        let row = crate::store::profiles::ProfileRow {
            account_id: account_id.to_string(),
            kind: self.kind.as_str().to_string(),
            home_tenant: self.home_tenant.clone(),
            name: self.name.clone(),
            id_enc: self.id.as_ref().map(|id| keys.encrypt(&id.normalized)),
            uscc: self.uscc.clone(),
            details: self.details.to_string(),
            verification: "unverified".into(),
            verification_reason: None,
            verified_by: None,
            verified_at: None,
            updated_at: now.to_string(),
        };
        (row, self.id.as_ref().map(|id| keys.blind_index("id", &id.normalized)))
    }
}

/// An employer's or agency's contact person, checked as a name.
fn contact_name(input: &ProfileInput) -> Result<String, ApiError> {
    check_name(required(&input.contact_name, "contact_name", "联系人")?, "contact_name")
}

fn field_err(field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request("invalid_field", zh, en).with_field(field)
}

fn required<'a>(value: &'a Option<String>, field: &str, zh: &str) -> Result<&'a str, ApiError> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).ok_or_else(|| {
        field_err(
            field,
            &format!("缺少{zh}"),
            &format!("{field} is required for this kind of profile"),
        )
    })
}

/// A person's or organisation's name: 2–50 characters, no digits or control characters.
fn check_name(name: &str, field: &str) -> Result<String, ApiError> {
    let name = name.trim();
    let n = name.chars().count();
    if !(2..=50).contains(&n) || name.chars().any(|c| c.is_ascii_digit() || c.is_control()) {
        return Err(field_err(
            field,
            "姓名/名称应为2至50个字,不含数字",
            "a name has 2 to 50 characters and no digits",
        ));
    }
    Ok(name.to_string())
}

/// Check a submission on `today`.
pub fn check(input: &ProfileInput, today: NaiveDate) -> Result<CheckedProfile, ApiError> {
    let (name, id_raw) = match &input.scan {
        Some(scan) => (Some(scan.name.clone()), Some(scan.id_number.clone())),
        None => (input.name.clone(), input.id_number.clone()),
    };
    let name = check_name(required(&name, "name", "姓名或名称")?, "name")?;
    let mut details = serde_json::Map::new();
    let (id, uscc_code) = match input.kind {
        ProfileKind::Worker => {
            let id = check_id(
                required(&id_raw, "id_number", "身份证号码")?,
                input.scan.as_ref(),
                today,
            )?;
            worker_details(input, &id, today, &mut details)?;
            (Some(id), None)
        }
        ProfileKind::IndividualEmployer => {
            let id = check_id(
                required(&id_raw, "id_number", "身份证号码")?,
                input.scan.as_ref(),
                today,
            )?;
            details.insert("contact_name".into(), contact_name(input)?.into());
            (Some(id), None)
        }
        ProfileKind::Enterprise | ProfileKind::Agency => {
            let code =
                uscc::parse(required(&input.uscc, "uscc", "统一社会信用代码")?).map_err(|e| {
                    ApiError::bad_request("invalid_field", "", "")
                        .with_field("uscc")
                        .with_message_of(&e.0)
                })?;
            details.insert("contact_name".into(), contact_name(input)?.into());
            if input.kind == ProfileKind::Agency {
                let license = required(&input.license_no, "license_no", "人力资源服务许可证编号")?;
                if license.chars().count() > 40 {
                    return Err(field_err(
                        "license_no",
                        "许可证编号不超过40个字",
                        "the licence number is at most 40 characters",
                    ));
                }
                details.insert("license_no".into(), license.into());
                details.insert(
                    "legal_rep".into(),
                    check_name(
                        required(&input.legal_rep, "legal_rep", "法定代表人")?,
                        "legal_rep",
                    )?
                    .into(),
                );
            }
            (None, Some(code))
        }
    };
    Ok(CheckedProfile {
        kind: input.kind,
        home_tenant: input.home_tenant.clone(),
        name,
        id,
        uscc: uscc_code,
        details: serde_json::Value::Object(details),
    })
}

/// The number, and (for scans) the printed sex and birth date agreeing with it.
fn check_id(
    raw: &str,
    scan: Option<&CardScan>,
    today: NaiveDate,
) -> Result<idcard::IdNumber, ApiError> {
    let id = idcard::parse(raw, today).map_err(|e| {
        ApiError::bad_request("invalid_field", "", "").with_field("id_number").with_message_of(&e.0)
    })?;
    if let Some(scan) = scan {
        let printed_sex =
            scan.sex.as_deref().map(|s| if s.trim() == "男" { Sex::Male } else { Sex::Female });
        if printed_sex.is_some_and(|s| s != id.sex) {
            return Err(field_err(
                "scan.sex",
                "证件上的性别与身份证号码不符",
                "the printed sex does not match the ID number",
            ));
        }
        if scan
            .birth
            .as_deref()
            .is_some_and(|b| b.trim() != id.birth_date.format("%Y%m%d").to_string())
        {
            return Err(field_err(
                "scan.birth",
                "证件上的出生日期与身份证号码不符",
                "the printed birth date does not match the ID number",
            ));
        }
    }
    Ok(id)
}

fn worker_details(
    input: &ProfileInput,
    id: &idcard::IdNumber,
    today: NaiveDate,
    details: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<(), ApiError> {
    if idcard::age_on(id.birth_date, today) < 16 {
        return Err(field_err(
            "id_number",
            "未满16周岁,不能登记为零工(劳动法第十五条)",
            "under 16: may not be registered for work (Labour Law §15)",
        ));
    }
    if input.occupations.is_empty()
        || input.occupations.len() > 10
        || !input.occupations.iter().all(|c| is_occupation_code(c))
    {
        return Err(field_err(
            "occupations",
            "请填写1至10个职业代码,格式如 4-02-05-01",
            "give 1 to 10 occupation codes like 4-02-05-01",
        ));
    }
    let level = input.skill_level.unwrap_or(0);
    if usize::from(level) >= SKILL_LEVELS.len() {
        return Err(field_err(
            "skill_level",
            "技能等级应为0(无)到5(一级/高级技师)",
            "skill_level is 0 (none) to 5 (一级/高级技师)",
        ));
    }
    let wage = input.wage_expectation_cents.ok_or_else(|| {
        field_err("wage_expectation_cents", "缺少期望薪资", "wage_expectation_cents is required")
    })?;
    if !(1..=100_000_000).contains(&wage) {
        return Err(field_err(
            "wage_expectation_cents",
            "期望薪资应为正数(单位:分)",
            "the expected wage is a positive amount in fen",
        ));
    }
    let unit = input.wage_unit.as_deref().unwrap_or("day");
    if !matches!(unit, "hour" | "day" | "piece" | "month") {
        return Err(field_err(
            "wage_unit",
            "薪资单位应为 hour、day、piece 或 month",
            "wage_unit is hour, day, piece or month",
        ));
    }
    if let Some(place) = &input.location {
        if !crate::regions::in_kaifeng(place) {
            return Err(field_err(
                "location",
                "常驻地点坐标不在开封市范围内",
                "location is not in Kaifeng",
            ));
        }
        details.insert("location".into(), serde_json::json!({"lon": place.lon, "lat": place.lat}));
    }
    if input.certificates.len() > 10
        || input.certificates.iter().any(|c| c.trim().is_empty() || c.chars().count() > 50)
    {
        return Err(field_err(
            "certificates",
            "最多10个证书,每个1至50个字",
            "at most 10 certificates of 1 to 50 characters",
        ));
    }
    details.insert("certificates".into(), serde_json::json!(input.certificates));
    details.insert("occupations".into(), serde_json::json!(input.occupations));
    details.insert("skill_level".into(), level.into());
    details.insert("skill_level_name".into(), SKILL_LEVELS[usize::from(level)].into());
    details.insert("wage_expectation_cents".into(), wage.into());
    details.insert("wage_unit".into(), unit.into());
    Ok(())
}

/// `d-dd-dd-dd`, as in the 2022 occupational classification.
fn is_occupation_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    parts.len() == 4
        && parts[0].len() == 1
        && parts[1..].iter().all(|p| p.len() == 2)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Submit or change `account`'s profile: it must fit the account (a worker's for a worker, an
/// employer's or agency's for an employer) and name an existing home market. It is stored
/// unverified; when a provider is configured it decides at once (an outage leaves it to staff).
/// Returns the profile as stored.
pub async fn submit(
    store: &crate::store::Store,
    keys: &crate::identity::pii::PiiKeys,
    provider_url: Option<&str>,
    account: &crate::store::accounts::AccountRow,
    input: &ProfileInput,
) -> Result<crate::store::profiles::ProfileRow, ApiError> {
    let fits = match account.kind.as_str() {
        "worker" => input.kind == ProfileKind::Worker,
        "employer" => input.kind != ProfileKind::Worker,
        _ => false,
    };
    if !fits {
        return Err(ApiError::bad_request(
            "wrong_profile_kind",
            "资料类型与账号类型不符",
            "the profile kind does not fit the account kind",
        )
        .with_field("kind"));
    }
    if store.get_tenant(&input.home_tenant).await?.is_none() {
        let zh = format!("没有编码为 `{}` 的市场", input.home_tenant);
        return Err(ApiError::not_found("tenant_not_found", &zh, "no such market")
            .with_field("home_tenant"));
    }
    let checked = check(input, store.clock().today())?;
    let (row, index) = checked.to_row(&account.id, keys, &store.now());
    if !store.upsert_profile(&row, index.as_deref()).await? {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "id_number_taken",
            "该身份证号码已登记在另一个账号下",
            "this ID number is registered to another account",
        )
        .with_field("id_number"));
    }
    if let Some(url) = provider_url {
        ask_provider(store, url, &row, &checked).await?;
    }
    crate::matching::refresh_worker(store, &row.account_id).await?;
    store.profile(&row.account_id).await?.ok_or_else(not_found)
}

/// Let an external provider decide a freshly stored profile; undecided leaves it to staff.
async fn ask_provider(
    store: &crate::store::Store,
    url: &str,
    row: &crate::store::profiles::ProfileRow,
    checked: &CheckedProfile,
) -> Result<(), ApiError> {
    let query = super::provider::Query {
        kind: &row.kind,
        name: &row.name,
        id_number: checked.id.as_ref().map(|i| i.normalized.as_str()),
        uscc: row.uscc.as_deref(),
    };
    let (verdict, reason) = match super::provider::ask(url, &query).await {
        super::provider::Outcome::Verified => ("verified", None),
        super::provider::Outcome::Rejected(reason) => ("rejected", Some(reason)),
        super::provider::Outcome::Undecided => return Ok(()),
    };
    decide(store, row, verdict, reason.as_deref(), "provider").await.map(drop)
}

/// A staff decision on a profile registered with market `tenant`: approve, or reject with a
/// reason. Audited; the worker's matching features follow. Returns the profile as stored.
pub async fn verify(
    store: &crate::store::Store,
    tenant: &str,
    account: &str,
    approve: bool,
    reason: Option<&str>,
    actor: &str,
) -> Result<crate::store::profiles::ProfileRow, ApiError> {
    let row =
        store.profile(account).await?.filter(|p| p.home_tenant == tenant).ok_or_else(not_found)?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(ApiError::bad_request(
            "reason_required",
            "驳回时须说明原因",
            "a rejection needs a reason",
        )
        .with_field("reason"));
    }
    let verdict = if approve { "verified" } else { "rejected" };
    if !decide(store, &row, verdict, reason, actor).await? {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "profile_changed",
            "资料已被修改,请重新审核",
            "the profile changed meanwhile; review it again",
        ));
    }
    crate::matching::refresh_worker(store, account).await?;
    store.profile(account).await?.ok_or_else(not_found)
}

/// Record a verdict on the profile as it was read (`row.updated_at`), and audit it. `Ok(false)`:
/// the profile changed meanwhile and nothing was recorded.
async fn decide(
    store: &crate::store::Store,
    row: &crate::store::profiles::ProfileRow,
    verdict: &str,
    reason: Option<&str>,
    by: &str,
) -> Result<bool, ApiError> {
    let at = store.now();
    let decision = crate::store::profiles::VerificationDecision { verdict, reason, by, at: &at };
    let detail = serde_json::json!({"verdict": verdict, "reason": reason});
    let event = crate::store::audit::AuditEvent {
        actor: by,
        tenant_code: Some(&row.home_tenant),
        action: "profile.verify",
        target: Some(&row.account_id),
        detail,
    };
    let mut tx = store.begin().await?;
    if !store
        .set_verification(&mut tx, &row.account_id, &row.home_tenant, &row.updated_at, &decision)
        .await?
    {
        return Ok(false);
    }
    store.audit_in(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(true)
}

/// No such profile (or not one the caller may see).
pub fn not_found() -> ApiError {
    ApiError::not_found("profile_not_found", "没有该实名资料", "no such real-name profile")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn id(body: &str) -> String {
        format!("{body}{}", idcard::check_char(body))
    }

    fn worker() -> ProfileInput {
        ProfileInput {
            kind: ProfileKind::Worker,
            home_tenant: "lankao".into(),
            name: Some("张三".into()),
            id_number: Some(id("41022519900307123")),
            scan: None,
            occupations: vec!["4-02-05-01".into()],
            skill_level: Some(1),
            wage_expectation_cents: Some(20_000),
            wage_unit: Some("day".into()),
            location: None,
            certificates: vec![],
            uscc: None,
            contact_name: None,
            license_no: None,
            legal_rep: None,
        }
    }

    #[test]
    fn a_worker_profile_is_checked_field_by_field() {
        let p = check(&worker(), today()).unwrap();
        assert_eq!(p.details["skill_level_name"], "五级/初级工");
        let field = |input: ProfileInput| check(&input, today()).unwrap_err().field.unwrap();
        assert_eq!(
            field(ProfileInput { occupations: vec!["装卸".into()], ..worker() }),
            "occupations"
        );
        assert_eq!(field(ProfileInput { skill_level: Some(6), ..worker() }), "skill_level");
        assert_eq!(field(ProfileInput { name: Some("张".into()), ..worker() }), "name");
        let valid = id("41022519900307123");
        let wrong = format!("{}{}", &valid[..17], if valid.ends_with('1') { '2' } else { '1' });
        assert_eq!(field(ProfileInput { id_number: Some(wrong), ..worker() }), "id_number");
        assert_eq!(
            field(ProfileInput { id_number: Some(id("41022520150101123")), ..worker() }),
            "id_number",
            "a child may not register"
        );
    }

    #[test]
    fn a_scan_must_agree_with_the_number() {
        let scan = CardScan {
            source: "id_card_reader".into(),
            name: "张三".into(),
            id_number: id("41022519900307123"),
            sex: Some("男".into()),
            birth: Some("19900307".into()),
            address: None,
        };
        assert!(
            check(
                &ProfileInput { name: None, id_number: None, scan: Some(scan.clone()), ..worker() },
                today()
            )
            .is_ok()
        );
        let wrong = CardScan { sex: Some("女".into()), ..scan };
        assert_eq!(
            check(&ProfileInput { scan: Some(wrong), ..worker() }, today())
                .unwrap_err()
                .field
                .unwrap(),
            "scan.sex"
        );
    }

    #[test]
    fn organisations_need_a_valid_credit_code_and_agencies_a_licence() {
        let agency = ProfileInput {
            kind: ProfileKind::Agency,
            name: Some("开封某人力资源服务有限公司".into()),
            id_number: None,
            uscc: Some("91350100M000100Y43".into()),
            contact_name: Some("李四".into()),
            license_no: Some("豫人服证字〔2024〕第0001号".into()),
            legal_rep: Some("王五".into()),
            ..worker()
        };
        assert!(check(&agency, today()).is_ok());
        let bad = ProfileInput { uscc: Some("91350100M000100Y44".into()), ..agency.clone() };
        let err = check(&bad, today()).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("uscc"));
        assert!(err.message.contains("校验位"));
        assert_eq!(
            check(&ProfileInput { license_no: None, ..agency }, today())
                .unwrap_err()
                .field
                .unwrap(),
            "license_no"
        );
    }
}
