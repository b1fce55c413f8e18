//! The 1+10+N market tree: one city market, its county markets, specialty markets and stations.
//!
//! Tenants are defined as TOML files in `tenants/` (reviewable and versioned), checked as a
//! whole tree by [`tree::check`], and loaded into the database, which then serves them.

pub mod changes;
pub use changes::load;
pub mod files;
pub mod tree;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What level of the 1+10+N system a market is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenantKind {
    /// 市级综合性零工市场: exactly one, the root.
    City,
    /// 县级综合性零工市场: under the city.
    County,
    /// 行业性、专业性零工市场: under the city or a county.
    Specialty,
    /// 零工驿站 / 家门口就业服务站: under a county.
    Station,
}

impl TenantKind {
    /// Every kind, from the top of the tree down.
    pub const ALL: [TenantKind; 4] = [Self::City, Self::County, Self::Specialty, Self::Station];

    /// The stored and serialised name (`city`, `county`, `specialty`, `station`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::City => "city",
            Self::County => "county",
            Self::Specialty => "specialty",
            Self::Station => "station",
        }
    }

    /// The kind named `s` (as [`TenantKind::as_str`] writes it); `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name of the level, for messages.
    pub fn zh(self) -> &'static str {
        match self {
            Self::City => "市级零工市场",
            Self::County => "县(区)级零工市场",
            Self::Specialty => "专业性零工市场",
            Self::Station => "零工驿站",
        }
    }
}

/// Whether a market is serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenantStatus {
    /// 运营中
    Active,
    /// 筹建中: defined, not yet open.
    Preparing,
    /// 暂停服务
    Suspended,
    /// 已退出: withdrawn after a failed evaluation (plan §四(三)).
    Withdrawn,
}

impl TenantStatus {
    /// Every status, in the order of the enum.
    pub const ALL: [TenantStatus; 4] =
        [Self::Active, Self::Preparing, Self::Suspended, Self::Withdrawn];

    /// The stored and serialised name (`active`, `preparing`, `suspended`, `withdrawn`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Preparing => "preparing",
            Self::Suspended => "suspended",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// The status named `s` (as [`TenantStatus::as_str`] writes it); `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A point on the map, WGS-84 longitude and latitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GeoPoint {
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
}

/// One market, as defined in its file and served by the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Tenant {
    /// Stable identifier, lower-case ASCII (`kaifeng`, `lankao`, `lankao-lanyang`).
    pub code: String,
    /// Its level in the 1+10+N tree.
    pub kind: TenantKind,
    /// Code of the parent market; `None` only for the city.
    pub parent: Option<String>,
    /// Official name under the naming standard of plan §5.
    pub name: String,
    /// Administrative division code (行政区划代码) of the area served.
    pub region_code: String,
    /// The market's street address.
    pub address: String,
    /// Where the market is on the map; `None` when not given.
    pub location: Option<GeoPoint>,
    /// 运营时间, as shown to the public.
    pub opening_hours: String,
    /// 服务热线
    pub hotline: String,
    /// 投诉渠道
    pub complaint_channel: String,
    /// 办事指南: how to use the market, in its staff's words (shown on its page and in
    /// `GET /api/v1/tenants/{code}/services`); empty when not written yet.
    #[serde(default)]
    pub guide: String,
    /// Whether the market is serving; only active markets take posts and complaints.
    pub status: TenantStatus,
    /// For specialty markets: the HR agency or organisation that runs it.
    pub operator: Option<String>,
}

impl Tenant {
    /// Refused unless the market is serving: a market that is preparing, suspended or withdrawn
    /// takes no new posts and no check-ins (its history stays readable).
    pub fn ensure_active(&self) -> Result<(), crate::error::ApiError> {
        if self.status == TenantStatus::Active {
            return Ok(());
        }
        Err(crate::error::ApiError::bad_request(
            "market_not_active",
            &format!("{}当前不在运营中,不接受发布和登记", self.name),
            "this market is not active",
        )
        .with_field("tenant"))
    }
}

/// A problem with a tenant definition. It names where the definition came from (a file, or an
/// API request) and the field at fault, so that whoever edits it knows exactly what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    /// The file (or other source) that holds the faulty definition.
    pub source: String,
    /// The field at fault, when the problem is in one field.
    pub field: Option<String>,
    /// Chinese, then English.
    pub message: String,
}

impl DefinitionError {
    /// A problem with `field` (or the whole definition) of `source`, message `zh / en`.
    pub fn new(source: impl Into<String>, field: Option<&str>, zh: &str, en: &str) -> Self {
        DefinitionError {
            source: source.into(),
            field: field.map(str::to_string),
            message: crate::error::bilingual(zh, en),
        }
    }
}

impl std::fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}: {}: {}", self.source, field, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

/// One error per line, for the terminal.
pub fn render_errors(errors: &[DefinitionError]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    format!(
        "租户定义有 {n} 处错误 / {n} error(s) in the tenant definitions:\n{}",
        lines.join("\n"),
        n = errors.len()
    )
}
