//! Counts for the city's dashboard, per market, in one query over the jobs, engagements,
//! check-ins and complaints tables (plain SQL both backends run).

use sqlx::Row;

use super::Store;

/// What the dashboard counts, by the name the query gives it.
pub const POSTS: &str = "posts";
/// Places taken by a worker who accepted (and did not fall out since).
pub const FILLED: &str = "filled";
/// Check-ins at a market (扫码登记), one per worker and day.
pub const CHECK_INS: &str = "check_ins";
/// Complaints filed with a market.
pub const COMPLAINTS: &str = "complaints";

/// One count: a market, what was counted, how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantCount {
    /// The market's code.
    pub tenant_code: String,
    /// [`POSTS`], [`FILLED`], [`CHECK_INS`] or [`COMPLAINTS`].
    pub what: String,
    /// How many.
    pub n: i64,
}

impl Store {
    /// Per market: posts published (not rejected), places filled, check-ins and complaints filed
    /// from `since` (a stored UTC stamp) up to `until`; check-ins by China date, from
    /// `since_day` to `until_day` (`YYYY-MM-DD`).
    pub async fn counts_by_tenant(
        &self,
        (since, until): (&str, &str),
        (since_day, until_day): (&str, &str),
    ) -> Result<Vec<TenantCount>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT tenant_code, 'posts' AS what, COUNT(*) AS n FROM jobs \
               WHERE created_at >= $1 AND created_at <= $2 AND status <> 'rejected' GROUP BY tenant_code \
             UNION ALL SELECT tenant_code, 'filled' AS what, COUNT(*) AS n FROM engagements \
               WHERE created_at >= $3 AND created_at <= $4 \
               AND status IN ('accepted', 'signed', 'checked_in', 'checked_out', 'paid', 'confirmed', 'disputed') \
               GROUP BY tenant_code \
             UNION ALL SELECT tenant_code, 'check_ins' AS what, COUNT(*) AS n FROM check_ins \
               WHERE day >= $5 AND day <= $6 GROUP BY tenant_code \
             UNION ALL SELECT tenant_code, 'complaints' AS what, COUNT(*) AS n FROM complaints \
               WHERE created_at >= $7 AND created_at <= $8 GROUP BY tenant_code",
        )
        .bind(since)
        .bind(until)
        .bind(since)
        .bind(until)
        .bind(since_day)
        .bind(until_day)
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TenantCount {
                    tenant_code: r.try_get("tenant_code")?,
                    what: r.try_get("what")?,
                    n: r.try_get("n")?,
                })
            })
            .collect()
    }
}
