//! Stored tenants: the market tree as the API serves it.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::Store;
use crate::tenants::{GeoPoint, Tenant, TenantKind, TenantStatus};

/// The columns [`tenant_from_row`] reads, as a literal so queries stay static strings.
macro_rules! columns {
    () => {
        "code, kind, parent_code, name, region_code, address, lon, lat, opening_hours, hotline, complaint_channel, status, operator, guide"
    };
}

impl Store {
    /// Insert or update tenants in one transaction. They must come parents first
    /// (as [`crate::tenants::tree::check`] returns them) so that every parent exists in time.
    pub async fn upsert_tenants(&self, tenants: &[Tenant]) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        self.upsert_tenants_in(&mut tx, tenants).await?;
        tx.commit().await
    }

    /// [`Store::upsert_tenants`] inside the caller's transaction (with its audit entry).
    pub async fn upsert_tenants_in(
        &self,
        tx: &mut super::Tx<'_>,
        tenants: &[Tenant],
    ) -> Result<(), sqlx::Error> {
        let stamp = self.now();
        for t in tenants {
            sqlx::query(
                "INSERT INTO tenants (code, kind, parent_code, name, region_code, address, lon, lat, \
                 opening_hours, hotline, complaint_channel, status, operator, guide, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $15, $14, $14) \
                 ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, parent_code = excluded.parent_code, \
                 name = excluded.name, region_code = excluded.region_code, address = excluded.address, \
                 lon = excluded.lon, lat = excluded.lat, opening_hours = excluded.opening_hours, \
                 hotline = excluded.hotline, complaint_channel = excluded.complaint_channel, \
                 status = excluded.status, operator = excluded.operator, guide = excluded.guide, \
                 updated_at = excluded.updated_at",
            )
            .bind(&t.code)
            .bind(t.kind.as_str())
            .bind(&t.parent)
            .bind(&t.name)
            .bind(&t.region_code)
            .bind(&t.address)
            .bind(t.location.map(|p| p.lon))
            .bind(t.location.map(|p| p.lat))
            .bind(&t.opening_hours)
            .bind(&t.hotline)
            .bind(&t.complaint_channel)
            .bind(t.status.as_str())
            .bind(&t.operator)
            .bind(&stamp)
            .bind(&t.guide)
            // Not cached: sqlx 0.9's `Any` driver binds a missing `f64` (no location) as a
            // `real`, and PostgreSQL then refuses a later `double precision` on the statement
            // cached with that type (sqlx issue 4284).
            .persistent(false)
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// Every tenant, parents before children, siblings by code.
    pub async fn list_tenants(&self) -> Result<Vec<Tenant>, sqlx::Error> {
        let rows = sqlx::query(concat!("SELECT ", columns!(), " FROM tenants ORDER BY code"))
            .fetch_all(&self.pool)
            .await?;
        let tenants = rows.iter().map(tenant_from_row).collect::<Result<Vec<_>, _>>()?;
        Ok(preorder(tenants))
    }

    /// One tenant by code.
    pub async fn get_tenant(&self, code: &str) -> Result<Option<Tenant>, sqlx::Error> {
        let row = sqlx::query(concat!("SELECT ", columns!(), " FROM tenants WHERE code = $1"))
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(tenant_from_row).transpose()
    }

    /// Codes of the markets directly under `code`.
    pub async fn child_tenant_codes(&self, code: &str) -> Result<Vec<String>, sqlx::Error> {
        let rows = sqlx::query("SELECT code FROM tenants WHERE parent_code = $1 ORDER BY code")
            .bind(code)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| r.try_get(0)).collect()
    }

    /// How many tenants are stored.
    pub async fn count_tenants(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) FROM tenants").fetch_one(&self.pool).await?.try_get(0)
    }
}

fn tenant_from_row(row: &AnyRow) -> Result<Tenant, sqlx::Error> {
    let text = |col: &str| row.try_get::<String, _>(col);
    let corrupt = |col: &str, value: String| sqlx::Error::ColumnDecode {
        index: col.to_string(),
        source: format!("unexpected value `{value}`").into(),
    };
    let kind = text("kind")?;
    let status = text("status")?;
    let lon: Option<f64> = row.try_get("lon")?;
    let lat: Option<f64> = row.try_get("lat")?;
    Ok(Tenant {
        code: text("code")?,
        kind: TenantKind::parse(&kind).ok_or_else(|| corrupt("kind", kind.clone()))?,
        parent: row.try_get("parent_code")?,
        name: text("name")?,
        region_code: text("region_code")?,
        address: text("address")?,
        location: lon.zip(lat).map(|(lon, lat)| GeoPoint { lon, lat }),
        opening_hours: text("opening_hours")?,
        hotline: text("hotline")?,
        complaint_channel: text("complaint_channel")?,
        guide: text("guide")?,
        status: TenantStatus::parse(&status).ok_or_else(|| corrupt("status", status.clone()))?,
        operator: row.try_get("operator")?,
    })
}

/// Depth-first from the city: each market followed by its subtree, siblings in the given order.
fn preorder(tenants: Vec<Tenant>) -> Vec<Tenant> {
    fn visit(parent: Option<&str>, all: &[Tenant], out: &mut Vec<Tenant>) {
        for t in all.iter().filter(|t| t.parent.as_deref() == parent) {
            out.push(t.clone());
            visit(Some(&t.code), all, out);
        }
    }
    let mut out = Vec::with_capacity(tenants.len());
    visit(None, &tenants, &mut out);
    out
}
