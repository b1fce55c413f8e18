//! A market's public service catalog (主动公开): the service items it offers with their guides
//! (办事指南), its opening hours and the rules by which it takes complaints. The market's
//! service-catalog plugin decides them; the market page and complaint filing both ask here.

use chrono::{DateTime, Utc};

use crate::error::ApiError;
use crate::plugins::bindings::service_catalog::gigmarket::plugins::catalog_types::{
    Catalog, CatalogRequest,
};
use crate::plugins::slots::ServiceCatalogWorld;
use crate::rules::{Rules, tenant_info};
use crate::tenants::Tenant;

pub use crate::plugins::bindings::service_catalog::gigmarket::plugins::catalog_types::{
    CaseRule, ServiceItem,
};

/// The catalog `tenant`'s plugin gives on the China date of `at`; `None` when no plugin serves
/// the slot for this market. Catalogs are not consequential decisions and keep no receipt.
pub async fn of(
    rules: &Rules,
    tenant: &Tenant,
    at: DateTime<Utc>,
) -> Result<Option<Catalog>, ApiError> {
    let request = CatalogRequest {
        today: crate::clock::china_date(at).into(),
        kind: tenant_info(tenant).kind,
    };
    match rules.call::<ServiceCatalogWorld>(tenant, request, "catalog").await {
        Ok(decided) => Ok(Some(decided.output)),
        Err(e) if e.code == "slot_unbound" => Ok(None),
        Err(e) => Err(e),
    }
}
