//! The city's dashboard: posts, places filled, check-ins and complaints of the last 30 days (China
//! time, by the application's clock), per county. A market counts for the county it lies in (a
//! station for its county); the city's own market and the specialty markets directly under the
//! city count as 市本级.

use chrono::{Duration, NaiveDate};

use crate::error::ApiError;
use crate::store::Store;
use crate::store::stats::{CHECK_INS, COMPLAINTS, FILLED, POSTS};
use crate::tenants::{Tenant, TenantKind};

/// How many days the dashboard looks back, today included.
pub const DAYS: i64 = 30;

/// One row of the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaFigures {
    /// The county market's code (the city's code for 市本级).
    pub code: String,
    /// What the row is called: 兰考县, …, 市本级.
    pub name: String,
    /// Posts published.
    pub posts: i64,
    /// Places filled.
    pub filled: i64,
    /// Check-ins.
    pub check_ins: i64,
    /// Complaints filed.
    pub complaints: i64,
}

/// The dashboard over [`DAYS`] days.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The first day counted (China date).
    pub from: NaiveDate,
    /// The last day counted: today.
    pub to: NaiveDate,
    /// 市本级 first, then each county in the tree's order.
    pub rows: Vec<AreaFigures>,
}

impl Dashboard {
    /// The sums over every row.
    pub fn total(&self) -> AreaFigures {
        let mut t = AreaFigures {
            code: String::new(),
            name: "合计".into(),
            posts: 0,
            filled: 0,
            check_ins: 0,
            complaints: 0,
        };
        for r in &self.rows {
            t.posts += r.posts;
            t.filled += r.filled;
            t.check_ins += r.check_ins;
            t.complaints += r.complaints;
        }
        t
    }
}

/// The figures of the last [`DAYS`] days up to now, per county.
pub async fn dashboard(store: &Store) -> Result<Dashboard, ApiError> {
    let now = store.clock().now();
    let to = crate::clock::china_date(now);
    let from = to - Duration::days(DAYS - 1);
    let start = from
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(crate::clock::china()).single())
        .ok_or_else(|| ApiError::internal("no China midnight"))?
        .with_timezone(&chrono::Utc);
    let (since, until) = (crate::store::stamp(start), crate::store::stamp(now));
    let (from_day, to_day) = (from.to_string(), to.to_string());
    let counts = store.counts_by_tenant((&since, &until), (&from_day, &to_day)).await?;
    let tenants = store.list_tenants().await?;
    let mut rows = areas(&tenants);
    for c in counts {
        let area = area_of(&c.tenant_code, &tenants);
        let Some(row) = rows.iter_mut().find(|r| Some(r.code.as_str()) == area) else {
            continue;
        };
        match c.what.as_str() {
            POSTS => row.posts += c.n,
            FILLED => row.filled += c.n,
            CHECK_INS => row.check_ins += c.n,
            COMPLAINTS => row.complaints += c.n,
            _ => {}
        }
    }
    Ok(Dashboard { from, to, rows })
}

/// The rows, all zero: 市本级, then every county.
fn areas(tenants: &[Tenant]) -> Vec<AreaFigures> {
    let row = |t: &Tenant, name: String| AreaFigures {
        code: t.code.clone(),
        name,
        posts: 0,
        filled: 0,
        check_ins: 0,
        complaints: 0,
    };
    let city =
        tenants.iter().filter(|t| t.kind == TenantKind::City).map(|t| row(t, "市本级".into()));
    let counties = tenants.iter().filter(|t| t.kind == TenantKind::County).map(|t| {
        let name = crate::regions::find(&t.region_code).map_or(t.name.clone(), |r| r.name.into());
        row(t, name)
    });
    city.chain(counties).collect()
}

/// The code of the row a market counts in: its county, else the city.
fn area_of<'a>(code: &str, tenants: &'a [Tenant]) -> Option<&'a str> {
    let mut current = tenants.iter().find(|t| t.code == code)?;
    for _ in 0..=tenants.len() {
        match (current.kind, current.parent.as_deref()) {
            (TenantKind::County | TenantKind::City, _) => return Some(&current.code),
            (_, Some(parent)) => current = tenants.iter().find(|t| t.code == parent)?,
            (_, None) => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_market_counts_for_its_county_or_the_city() {
        let defs = crate::tenants::files::read_dir(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tenants"
        )))
        .unwrap();
        let tenants = crate::tenants::tree::check(&defs, &|_| Ok(())).unwrap();
        assert_eq!(area_of("lankao-lanyang", &tenants), Some("lankao"));
        assert_eq!(area_of("lankao", &tenants), Some("lankao"));
        assert_eq!(area_of("kaifeng-construction", &tenants), Some("kaifeng"));
        assert_eq!(area_of("nowhere", &tenants), None);
        let rows = areas(&tenants);
        assert_eq!(rows[0].name, "市本级");
        assert_eq!(rows.len(), 11, "the city and its ten counties");
    }
}
