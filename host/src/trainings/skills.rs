//! Skill records: what completing a session gives a worker, and the certificate
//! (职业技能等级证书) that may come with it. A certificate's level is an index of
//! [`SKILL_LEVELS`] (1 五级/初级工 … 5 一级/高级技师); the store keeps the highest certified level
//! per occupation in the worker's matching features, and `matching::candidate` scores the worker
//! at the higher of that and their profile's level for a post of that occupation (or one of the
//! same 小类).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Kind;
use crate::accounts::profiles::SKILL_LEVELS;
use crate::clock;
use crate::error::ApiError;
use crate::jobs::occupations;
use crate::store::Store;
use crate::store::trainings::{SkillRow, TrainingRow};

/// A certificate as staff send it with a completion.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateInput {
    /// The certificate's number: 6–40 letters, digits or `-`.
    pub number: String,
    /// Who issued it (the evaluation body), 2–60 characters.
    pub issuer: String,
    /// When it was issued, `YYYY-MM-DD`, not after today.
    pub issued_on: String,
    /// The level: 1 五级/初级工, 2 四级/中级工, 3 三级/高级工, 4 二级/技师, 5 一级/高级技师.
    pub level: i64,
}

fn invalid(code: &'static str, field: &str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request(code, zh, en).with_field(field)
}

/// A checked certificate: (number, issuer, issued on, level).
pub fn check_certificate(
    c: &CertificateInput,
    today: NaiveDate,
) -> Result<(String, String, String, i64), ApiError> {
    let number = c.number.trim();
    let ok_number = (6..=40).contains(&number.len())
        && number.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
    if !ok_number {
        return Err(invalid(
            "invalid_certificate",
            "certificate.number",
            "证书编号应为6至40位字母、数字或“-”",
            "certificate.number must be 6 to 40 letters, digits or -",
        ));
    }
    let issuer = c.issuer.trim();
    if !(2..=60).contains(&issuer.chars().count()) {
        return Err(invalid(
            "invalid_certificate",
            "certificate.issuer",
            "请填写发证机构(2至60字)",
            "certificate.issuer must be 2 to 60 characters",
        ));
    }
    let issued = clock::parse_day(c.issued_on.trim(), "certificate.issued_on")?;
    if issued > today {
        return Err(invalid(
            "invalid_certificate",
            "certificate.issued_on",
            "发证日期不能晚于今天",
            "certificate.issued_on must not be after today",
        ));
    }
    if !(1..SKILL_LEVELS.len() as i64).contains(&c.level) {
        return Err(invalid(
            "invalid_certificate",
            "certificate.level",
            "证书等级应为1(五级/初级工)至5(一级/高级技师)",
            "certificate.level must be 1 (五级/初级工) to 5 (一级/高级技师)",
        ));
    }
    Ok((number.to_string(), issuer.to_string(), issued.to_string(), c.level))
}

/// The skill record a completion of session `t` by `account` issues on `today`.
pub fn record(
    t: &TrainingRow,
    account: &str,
    actor: &str,
    certificate: Option<&CertificateInput>,
    today: NaiveDate,
    now: &str,
) -> Result<SkillRow, ApiError> {
    let cert = match certificate {
        None => None,
        Some(_) if t.kind != Kind::Skills.as_str() => {
            return Err(invalid(
                "certificate_not_allowed",
                "certificate",
                "只有技能培训结业时才能登记职业技能等级证书",
                "only a skills session ends with a skill-level certificate",
            ));
        }
        Some(c) => Some(check_certificate(c, today)?),
    };
    let (number, issuer, issued_on, level) = match cert {
        Some((n, i, d, l)) => (Some(n), Some(i), Some(d), Some(l)),
        None => (None, None, None, None),
    };
    Ok(SkillRow {
        id: uuid::Uuid::now_v7().to_string(),
        account_id: account.to_string(),
        training_id: t.id.clone(),
        tenant_code: t.tenant_code.clone(),
        occupation_code: t.occupation_code.clone(),
        kind: t.kind.clone(),
        completed_on: today.to_string(),
        cert_number: number,
        cert_issuer: issuer,
        cert_issued_on: issued_on,
        cert_level: level,
        created_by: actor.to_string(),
        created_at: now.to_string(),
    })
}

/// A skill record as its worker sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillView {
    /// The record as stored.
    #[serde(flatten)]
    pub record: SkillRow,
    /// The session's title.
    pub training_title: String,
    /// The kind in Chinese.
    pub kind_name: &'static str,
    /// The occupation's name.
    pub occupation_name: String,
    /// The certified level in words (e.g. 二级/技师), when certified.
    pub level_name: Option<&'static str>,
}

impl SkillRow {
    /// The certificate's level by its name (二级/技师), if one was earned: never a bare number,
    /// which would read as the wrong level (级 counts down from 五级).
    pub fn level_name(&self) -> Option<&'static str> {
        self.cert_level.and_then(|l| SKILL_LEVELS.get(usize::try_from(l).ok()?).copied())
    }
}

/// A worker's own skill records, the latest first.
pub async fn mine(store: &Store, account: &str) -> Result<Vec<SkillView>, ApiError> {
    let mut out = Vec::new();
    for r in store.skill_records_of(account).await? {
        let title = store.training(&r.training_id).await?.map(|t| t.title).unwrap_or_default();
        out.push(SkillView {
            training_title: title,
            kind_name: Kind::parse(&r.kind).map_or("", Kind::name_zh),
            occupation_name: occupations::find(&r.occupation_code)
                .map_or_else(|| r.occupation_code.clone(), |o| o.name.to_string()),
            level_name: r.level_name(),
            record: r,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_are_checked_by_field() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let ok = CertificateInput {
            number: "S000041020000244000123".into(),
            issuer: "兰考县职业技能鉴定站".into(),
            issued_on: "2026-12-05".into(),
            level: 4,
        };
        assert_eq!(check_certificate(&ok, today).unwrap().3, 4);
        let field = |c: CertificateInput| check_certificate(&c, today).unwrap_err().field.unwrap();
        assert_eq!(
            field(CertificateInput { number: "12".into(), ..ok.clone() }),
            "certificate.number"
        );
        assert_eq!(
            field(CertificateInput { issuer: " ".into(), ..ok.clone() }),
            "certificate.issuer"
        );
        assert_eq!(
            field(CertificateInput { issued_on: "2026-12-06".into(), ..ok.clone() }),
            "certificate.issued_on"
        );
        assert_eq!(field(CertificateInput { level: 0, ..ok.clone() }), "certificate.level");
        assert_eq!(field(CertificateInput { level: 6, ..ok }), "certificate.level");
    }
}
