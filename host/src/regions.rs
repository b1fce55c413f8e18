//! Administrative divisions (行政区划) of Kaifeng that markets and ID numbers refer to.
//!
//! Why a table in code: the region code of a county market must name a real division, and later
//! resident ID numbers are checked against it. Retired codes stay because people still carry ID
//! numbers issued under them.

/// Whether a point lies in or near Kaifeng (a generous box: posts elsewhere are a typo).
pub fn in_kaifeng(p: &crate::tenants::GeoPoint) -> bool {
    (113.5..=115.5).contains(&p.lon) && (34.0..=35.5).contains(&p.lat)
}

/// One division: its code, its name, and whether the code is still in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// The 6-digit division code (行政区划代码), or a local code ending in `L` and a digit.
    pub code: &'static str,
    /// The division's name, e.g. 兰考县.
    pub name: &'static str,
    /// Whether the code is current, retired or local.
    pub status: RegionStatus,
}

/// Whether a division code is still in use, and whose it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionStatus {
    /// A current national division code.
    Current,
    /// A national code no longer in use (the region was merged or renamed).
    Retired,
    /// A code the city assigned locally because the area has no national division code.
    /// Local codes end in `L` followed by a digit so they can never collide with a national one.
    Local,
}

/// Kaifeng city and its county-level divisions.
pub const KAIFENG: &[Region] = &[
    Region { code: "410200", name: "开封市", status: RegionStatus::Current },
    Region { code: "410202", name: "龙亭区", status: RegionStatus::Current },
    Region { code: "410203", name: "顺河回族区", status: RegionStatus::Current },
    Region { code: "410204", name: "鼓楼区", status: RegionStatus::Current },
    Region { code: "410205", name: "禹王台区", status: RegionStatus::Current },
    Region { code: "410211", name: "金明区", status: RegionStatus::Retired },
    Region { code: "410212", name: "祥符区", status: RegionStatus::Current },
    Region { code: "410221", name: "杞县", status: RegionStatus::Current },
    Region { code: "410222", name: "通许县", status: RegionStatus::Current },
    Region { code: "410223", name: "尉氏县", status: RegionStatus::Current },
    Region { code: "410224", name: "开封县", status: RegionStatus::Retired },
    Region { code: "410225", name: "兰考县", status: RegionStatus::Current },
    Region { code: "4102L1", name: "开封城乡一体化示范区", status: RegionStatus::Local },
];

/// The city-level division code.
pub const CITY_CODE: &str = "410200";

/// Look a division up by code.
pub fn find(code: &str) -> Option<&'static Region> {
    KAIFENG.iter().find(|r| r.code == code)
}

/// Whether a code is shaped like a division code at all: six digits (county level), nine
/// (township, 乡级) or twelve (village, 村级), or a local code (four digits, `L`, one digit).
pub fn is_well_formed(code: &str) -> bool {
    let b = code.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match b.len() {
        6 if digits(b) => true,
        6 => digits(&b[..4]) && b[4] == b'L' && b[5].is_ascii_digit(),
        9 | 12 => digits(b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_codes_cannot_collide_with_national_ones() {
        for r in KAIFENG {
            assert!(is_well_formed(r.code), "{}", r.code);
            let local = r.code.contains('L');
            assert_eq!(local, r.status == RegionStatus::Local, "{}", r.code);
        }
        assert!(!is_well_formed("41022"));
        assert!(!is_well_formed("4102X1"));
        assert!(is_well_formed("410225001"));
        assert!(!is_well_formed("4102250011"));
    }

    #[test]
    fn counties_are_found_by_code() {
        assert_eq!(find("410225").unwrap().name, "兰考县");
        assert_eq!(find("410224").unwrap().status, RegionStatus::Retired);
        assert!(find("999999").is_none());
    }
}
