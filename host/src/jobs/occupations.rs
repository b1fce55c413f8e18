//! The common gig occupations and their codes in the 2022 occupational classification
//! (中华人民共和国职业分类大典).
//!
//! Why a table in code: a post must name an occupation workers recognise, and matching compares
//! codes, so both sides need the same list. Codes taken from the public-comment draft or weaker
//! sources are marked `confirmed: false` (see shared notes); they are shown with that flag so
//! nobody mistakes them for official figures.

use serde::Serialize;
use utoipa::ToSchema;

/// One occupation of the 职业分类大典 that gig work commonly asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Occupation {
    /// The occupation's code, `d-dd-dd-dd` (e.g. `4-02-05-01`).
    pub code: &'static str,
    /// Its Chinese name, e.g. 装卸搬运工.
    pub name: &'static str,
    /// Whether the code was checked against the published classification.
    pub confirmed: bool,
    /// Needs a health certificate (食品安全法 §45, or customary in domestic service).
    pub health_certificate: bool,
}

const fn occ(
    code: &'static str,
    name: &'static str,
    confirmed: bool,
    health_certificate: bool,
) -> Occupation {
    Occupation { code, name, confirmed, health_certificate }
}

/// Every occupation a post may name (`GET /api/v1/occupations` lists them), with whether its
/// code is confirmed and whether it needs a health certificate.
pub const OCCUPATIONS: &[Occupation] = &[
    occ("4-02-05-01", "装卸搬运工", true, false),
    occ("4-02-06-01", "仓储管理员", true, false),
    occ("4-02-06-02", "理货员", true, false),
    occ("4-02-02-02", "道路货运汽车驾驶员", true, false),
    occ("4-02-07-08", "快递员", true, false),
    occ("4-02-07-09", "快件处理员", true, false),
    occ("4-02-07-10", "网约配送员", true, false),
    occ("6-29-01-01", "砌筑工(建筑瓦工)", true, false),
    occ("6-29-01-03", "混凝土工", true, false),
    occ("6-29-01-04", "钢筋工", true, false),
    occ("6-29-01-05", "架子工", true, false),
    occ("6-29-01-07", "乡村建设工匠", true, false),
    occ("6-29-02-08", "防水工", true, false),
    occ("6-29-03-02", "电气设备安装工", true, false),
    occ("6-29-03-04", "管工", true, false),
    occ("6-29-04-01", "装饰装修工", true, false),
    occ("5-01-02-01", "农艺工", true, false),
    occ("5-01-02-02", "园艺工", true, false),
    occ("4-07-05-01", "保安员", true, false),
    occ("4-03-02-01", "中式烹调师", true, true),
    occ("6-18-02-04", "焊工", true, false),
    occ("4-10-01-06", "家政服务员", false, true),
    occ("4-10-01-05", "养老护理员", false, true),
    occ("4-10-01-03", "育婴员", false, true),
    occ("4-10-05-02", "保洁员", false, false),
    occ("4-03-02-05", "餐厅服务员", false, true),
    occ("6-31-01-03", "电工", false, false),
    occ("6-29-04-03", "木工", false, false),
    occ("6-29-04-04", "油漆工", false, false),
    occ("5-01-03-01", "园林绿化工", false, false),
    occ("6-05-01-01", "缝纫工", false, false),
];

/// Look an occupation up by code.
pub fn find(code: &str) -> Option<&'static Occupation> {
    OCCUPATIONS.iter().find(|o| o.code == code)
}

/// The major group (大类) an occupation's code falls in, by its first digit, e.g.
/// `4-02-05-01` → 社会生产服务和生活服务人员.
pub fn major_group(code: &str) -> &'static str {
    match code.split('-').next() {
        Some("1") => "党的机关、国家机关、群众团体和社会组织、企事业单位负责人",
        Some("2") => "专业技术人员",
        Some("3") => "办事人员和有关人员",
        Some("4") => "社会生产服务和生活服务人员",
        Some("5") => "农、林、牧、渔业生产及辅助人员",
        Some("6") => "生产制造及有关人员",
        Some("7") => "军队人员",
        _ => "不便分类的其他从业人员",
    }
}

/// How close a worker's occupation is to a job's: 1.0 the same code, 0.5 the same minor group
/// (the first three segments, e.g. `4-02-05`), 0.25 the same middle group (`4-02`), else 0.
pub fn similarity(job: &str, worker: &str) -> f32 {
    if job == worker {
        return 1.0;
    }
    let prefix = |s: &str, n: usize| s.split('-').take(n).collect::<Vec<_>>().join("-");
    if prefix(job, 3) == prefix(worker, 3) {
        0.5
    } else if prefix(job, 2) == prefix(worker, 2) {
        0.25
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        for (i, o) in OCCUPATIONS.iter().enumerate() {
            assert!(
                OCCUPATIONS[i + 1..].iter().all(|p| p.code != o.code && p.name != o.name),
                "{o:?} twice"
            );
            let parts: Vec<&str> = o.code.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [1, 2, 2, 2],
                "{}",
                o.code
            );
        }
        assert_eq!(find("4-10-01-06").unwrap().name, "家政服务员");
    }

    #[test]
    fn related_occupations_score_between_none_and_same() {
        assert_eq!(similarity("4-02-07-08", "4-02-07-08"), 1.0);
        assert_eq!(similarity("4-02-07-08", "4-02-07-10"), 0.5);
        assert_eq!(similarity("4-02-07-08", "4-02-05-01"), 0.25);
        assert_eq!(similarity("4-02-07-08", "6-29-01-01"), 0.0);
    }
}
