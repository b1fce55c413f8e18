//! A market's public service catalog (主动公开): the service items it offers with their guides
//! (办事指南), its opening hours and the rules by which it takes complaints. The market's
//! service-catalog plugin decides them; the market page and complaint filing both ask here.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::complaints::Kind;
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

/// A market's public service information (主动公开): its place and hotline from its definition,
/// and its service items, hours and complaint rules from its catalog plugin. The market page and
/// `GET /api/v1/tenants/{code}/services` both show this.
#[derive(Debug, Serialize, ToSchema)]
pub struct Services {
    /// The market's code.
    pub tenant: String,
    /// The market's name.
    pub name: String,
    /// Where it is.
    pub address: String,
    /// Its service hotline.
    pub hotline: String,
    /// When it is open: the catalog's, else the market's definition.
    pub opening_hours: String,
    /// Where complaints go besides the platform (hotlines, windows).
    pub complaint_channel: String,
    /// The market's own 办事指南 (written by its staff); empty when not written yet.
    pub guide: String,
    /// The services it offers, with their guides (办事指南) and time limits.
    pub items: Vec<Item>,
    /// The complaints it takes: time limit and what to bring (一次性告知), per kind.
    pub case_rules: Vec<CaseRuleView>,
}

/// One service item.
#[derive(Debug, Serialize, ToSchema)]
pub struct Item {
    /// Stable code (`instant-hiring`, `skill-training`, `rights-protection`, …).
    pub code: String,
    /// Its name, e.g. 即时快招.
    pub name: String,
    /// What it is and how to use it (办事指南).
    pub description: String,
    /// One of the basic services every market must offer.
    pub mandatory: bool,
    /// Hours within which a request is handled, if limited.
    pub time_limit_hours: Option<u32>,
}

/// How the market takes one kind of complaint.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseRuleView {
    /// The kind as the catalog spells it (`wage-arrears`, …).
    pub case_kind: String,
    /// The kind's Chinese name (欠薪, …).
    pub name: String,
    /// Hours to handle a case (限时办结).
    pub time_limit_hours: u32,
    /// What the complainant brings, in order.
    pub required_materials: Vec<String>,
}

/// `tenant`'s public service information at `at`. A market without a catalog plugin has no
/// items and takes no complaints; a failing plugin is the caller's error to show.
pub async fn services(
    rules: &Rules,
    tenant: &Tenant,
    at: DateTime<Utc>,
) -> Result<Services, ApiError> {
    let mut services = services_without_catalog(tenant);
    if let Some(c) = of(rules, tenant, at).await? {
        if !c.opening_hours.is_empty() {
            services.opening_hours = c.opening_hours;
        }
        services.items = c.items.into_iter().map(Item::from).collect();
        services.case_rules = c.case_rules.into_iter().map(CaseRuleView::from).collect();
    }
    Ok(services)
}

/// What a market's definition alone says: place, hours, hotline, complaint channel (a page
/// shows this when the catalog plugin fails).
pub fn services_without_catalog(tenant: &Tenant) -> Services {
    Services {
        tenant: tenant.code.clone(),
        name: tenant.name.clone(),
        address: tenant.address.clone(),
        hotline: tenant.hotline.clone(),
        opening_hours: tenant.opening_hours.clone(),
        complaint_channel: tenant.complaint_channel.clone(),
        guide: tenant.guide.clone(),
        items: Vec::new(),
        case_rules: Vec::new(),
    }
}

impl From<ServiceItem> for Item {
    fn from(i: ServiceItem) -> Item {
        Item {
            code: i.code,
            name: i.name,
            description: i.description,
            mandatory: i.mandatory,
            time_limit_hours: i.time_limit_hours,
        }
    }
}

impl From<CaseRule> for CaseRuleView {
    fn from(r: CaseRule) -> CaseRuleView {
        let name = Kind::ALL
            .into_iter()
            .find(|k| k.rule_kind() == r.case_kind)
            .map_or_else(|| r.case_kind.clone(), |k| k.name_zh().to_string());
        CaseRuleView {
            case_kind: r.case_kind,
            name,
            time_limit_hours: r.time_limit_hours,
            required_materials: r.required_materials,
        }
    }
}
