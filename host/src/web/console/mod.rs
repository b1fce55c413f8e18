//! `/console/{code}`: a market's console for its staff (a station's clerks, a county's bureau,
//! a specialty market's HR agency): today's check-ins and the batch assignment, held posts, the
//! verification queue, complaints by deadline, the market's staff accounts, and its public
//! service information (办事指南).
//!
//! Which market a page is about is the path's `{code}`; the authorisation middleware has already
//! checked the route's permission there (a 杞县 admin opening 兰考县's console gets the 403 page
//! before any handler runs). Each handler calls the domain function its JSON twin calls.

mod assignments;
mod complaints;
mod home;
mod services;
mod staff;

use axum::Router;
use axum::routing::{get, post};

use super::PageError;
use super::page::NavLink;
use crate::api::AppState;
use crate::authz::{Actor, path_of};
use crate::error::ApiError;
use crate::identity::pii::mask_name;
use crate::tenants::Tenant;

/// The console's routes (each is also in `authz::routes::ROUTES`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/{code}", get(home::home))
        .route("/console/{code}/jobs/{id}/review", post(home::review))
        .route("/console/{code}/verifications/{account}", post(home::verify))
        .route("/console/{code}/assignments", post(assignments::draft))
        .route("/console/{code}/assignments/{id}", get(assignments::show))
        .route("/console/{code}/assignments/{id}/publish", post(assignments::publish))
        .route("/console/{code}/complaints", get(complaints::list))
        .route("/console/{code}/complaints/{id}", get(complaints::show))
        .route("/console/{code}/complaints/{id}/events", post(complaints::step))
        .route("/console/{code}/staff", get(staff::list).post(staff::create))
        .route("/console/{code}/staff/{id}/remove", post(staff::remove))
        .route("/console/{code}/services", get(services::form).post(services::save))
}

/// The market a console page is about, and the console's own navigation for the caller.
pub struct Market {
    /// The market's code (the path's `{code}`).
    pub code: String,
    /// Its name.
    pub name: String,
    /// The console's sections the caller may open here.
    pub links: Vec<NavLink>,
    /// The markets directly under it, whose consoles the caller may open too.
    pub children: Vec<MarketLink>,
    /// The areas (permission objects) the caller may read here.
    readable: Vec<&'static str>,
}

impl Market {
    /// The market `code` as `actor` sees its console: the sections their role may open.
    pub async fn load(state: &AppState, actor: &Actor, code: &str) -> Result<Market, PageError> {
        let tenants = state.store.list_tenants().await?;
        let tenant = tenants.iter().find(|t| t.code == code).ok_or_else(|| {
            ApiError::not_found("tenant_not_found", "没有这个市场", "no such market")
        })?;
        let path = path_of(code, &tenants).unwrap_or_default();
        let mut readable = Vec::new();
        let objects = [
            "complaints",
            "trainings",
            "ledgers",
            "accounts",
            "slots",
            "verifications",
            "services",
        ];
        for object in objects {
            if state.authz.allowed(actor, &path, object, "read").await {
                readable.push(object);
            }
        }
        let link = |href: String, label| NavLink { href, label };
        let mut links = vec![link(format!("/console/{code}"), "工作台")];
        for (object, page, label) in [
            ("complaints", "complaints", "投诉办理"),
            ("trainings", "trainings", "技能培训"),
            ("ledgers", "ledgers", "台账"),
            ("accounts", "staff", "工作人员"),
            ("slots", "rules", "规则"),
            ("services", "services", "服务信息"),
        ] {
            if readable.contains(&object) {
                links.push(link(format!("/console/{code}/{page}"), label));
            }
        }
        Ok(Market {
            code: code.to_string(),
            name: tenant.name.clone(),
            links,
            children: children(&tenants, code),
            readable,
        })
    }

    /// Whether the caller may read `object` (a permission object) in this market.
    pub fn may_read(&self, object: &str) -> bool {
        self.readable.contains(&object)
    }
}

/// A link to another market's console.
pub struct MarketLink {
    /// Its console.
    pub href: String,
    /// The market's name.
    pub name: String,
}

fn children(tenants: &[Tenant], code: &str) -> Vec<MarketLink> {
    tenants
        .iter()
        .filter(|t| t.parent.as_deref() == Some(code))
        .map(|t| MarketLink { href: format!("/console/{}", t.code), name: t.name.clone() })
        .collect()
}

/// A person as a console lists them: the surname and stars, or a note when they have no
/// real-name profile yet.
pub async fn masked_person(state: &AppState, account: &str) -> Result<String, PageError> {
    Ok(match state.store.profile(account).await? {
        Some(p) => mask_name(&p.name),
        None => "(未填写实名信息)".to_string(),
    })
}
