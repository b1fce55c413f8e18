//! The demo city's people and posts (docs/demo.md): accounts for every role, verified profiles
//! for the demo worker and employer, a few more workers, and open posts in every county —
//! all through the same checks, plugins and stores as real use. Seeding is idempotent: a
//! restart adds only what is missing (e.g. new posts once the old ones expired).

use chrono::{Duration, Utc};
use serde_json::json;

use crate::accounts::AccountKind;
use crate::accounts::profiles::{self, ProfileInput};
use crate::app::Application;
use crate::error::ApiError;
use crate::jobs::{self, JobInput};
use crate::tenants::{Tenant, TenantKind};

/// Demo accounts for every role; all share the password [`DEMO_PASSWORD`].
pub const DEMO_ACCOUNTS: &[(&str, AccountKind, Option<&str>)] = &[
    ("13800000001", AccountKind::CityAdmin, Some("kaifeng")),
    ("13800000002", AccountKind::CountyAdmin, Some("lankao")),
    ("13800000003", AccountKind::StationStaff, Some("lankao-lanyang")),
    ("13800000004", AccountKind::AgencyStaff, Some("kaifeng-construction")),
    ("13800000005", AccountKind::Auditor, Some("kaifeng")),
    ("13800000006", AccountKind::Worker, None),
    ("13800000007", AccountKind::Employer, None),
];
/// The password of every demo account (documented in docs/demo.md; demo only).
pub const DEMO_PASSWORD: &str = "kaifeng2026";
/// The demo worker's phone number (张三, a verified worker whose home market is 兰考).
pub const DEMO_WORKER: &str = "13800000006";
/// The demo employer's phone number (a verified enterprise; it publishes the demo's posts).
pub const DEMO_EMPLOYER: &str = "13800000007";

/// More workers, so recommendations and batch assignment have someone to rank:
/// (phone, name, ID number's first 17 characters, occupation, home market).
const MORE_WORKERS: &[(&str, &str, &str, &str, &str)] = &[
    ("13900000101", "王建国", "41022519850412301", "6-29-01-01", "lankao"),
    ("13900000102", "李秀兰", "41022119880623402", "4-10-01-06", "qixian"),
    ("13900000103", "赵卫东", "41022219790105503", "4-02-05-01", "tongxu"),
    ("13900000104", "刘桂芳", "41022319920817604", "4-10-05-02", "weishi"),
    ("13900000105", "陈志强", "41021219900309705", "4-02-07-08", "xiangfu"),
    ("13900000106", "杨红梅", "41020419870722806", "4-03-02-05", "gulou"),
];

/// Seed everything the demo needs that is not there yet.
pub async fn seed(app: &Application) -> anyhow::Result<()> {
    seed_accounts(app).await?;
    let worker = worker_input("张三", "41022519900307123", "4-02-05-01", "lankao");
    verified_profile(app, DEMO_WORKER, worker.clone()).await?;
    let employer = ProfileInput {
        kind: profiles::ProfileKind::Enterprise,
        name: Some("兰考县示例物流有限公司".into()),
        id_number: None,
        occupations: vec![],
        skill_level: None,
        wage_expectation_cents: None,
        wage_unit: None,
        certificates: vec![],
        uscc: Some("91350100M000100Y43".into()),
        contact_name: Some("李经理".into()),
        ..worker
    };
    verified_profile(app, DEMO_EMPLOYER, employer).await?;
    for (phone, name, id17, occupation, home) in MORE_WORKERS {
        match app.accounts().register(phone, DEMO_PASSWORD, AccountKind::Worker, None, None).await {
            Ok(_) => {
                verified_profile(app, phone, worker_input(name, id17, occupation, home)).await?
            }
            Err(e) if e.code == "phone_taken" => {}
            Err(e) => return Err(anyhow::anyhow!("{e}")),
        }
    }
    crate::trainings::seed_demo(app.store(), app.accounts(), DEMO_WORKER).await?;
    seed_jobs(app).await?;
    crate::ledgers::seed_demo(app.store()).await
}

/// Create the demo accounts that do not exist yet (a staff account is its role's grant).
async fn seed_accounts(app: &Application) -> anyhow::Result<()> {
    for (phone, kind, tenant) in DEMO_ACCOUNTS {
        match app
            .accounts()
            .register(phone, DEMO_PASSWORD, *kind, *tenant, tenant.map(|_| "demo"))
            .await
        {
            Ok(_) => {}
            Err(e) if e.code == "phone_taken" => {}
            Err(e) => return Err(anyhow::anyhow!("{e}")),
        }
    }
    Ok(())
}

fn worker_input(name: &str, id17: &str, occupation: &str, home: &str) -> ProfileInput {
    ProfileInput {
        kind: profiles::ProfileKind::Worker,
        home_tenant: home.into(),
        name: Some(name.into()),
        id_number: Some(format!("{id17}{}", crate::identity::idcard::check_char(id17))),
        scan: None,
        occupations: vec![occupation.into()],
        skill_level: Some(2),
        wage_expectation_cents: Some(18_000),
        wage_unit: Some("day".into()),
        location: None,
        certificates: vec!["健康证".into()],
        uscc: None,
        contact_name: None,
        license_no: None,
        legal_rep: None,
    }
}

/// Store `input` as the profile of the account with `phone`, verified by the demo, unless the
/// account already has a profile.
async fn verified_profile(
    app: &Application,
    phone: &str,
    input: ProfileInput,
) -> anyhow::Result<()> {
    let account = app
        .accounts()
        .by_phone(phone)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo account {phone} missing"))?;
    let store = app.store();
    if store.profile(&account.id).await?.is_some() {
        return Ok(());
    }
    let demo_err = |e: ApiError| anyhow::anyhow!("demo profile {phone}: {e}");
    let row = profiles::submit(store, app.accounts().keys(), None, &account, &input)
        .await
        .map_err(demo_err)?;
    profiles::verify(store, &row.home_tenant, &account.id, true, None, "demo")
        .await
        .map_err(demo_err)?;
    Ok(())
}

/// Two kinds of day work every county has (wages illustrative, see shared notes: no reliable
/// Kaifeng figures): (title, occupation, description, wage in fen per day).
const TEMPLATES: &[(&str, &str, &str, i64)] = &[
    ("仓库装卸工", "4-02-05-01", "物流仓库临时装卸搬运,日结,包午饭(示例数据,工资仅为示意)", 20_000),
    (
        "小区保洁员",
        "4-10-05-02",
        "小区公共区域日常保洁,工具由用工方提供(示例数据,工资仅为示意)",
        15_000,
    ),
];

/// Open posts in every county-level market: two per county, unless the demo employer already
/// has open posts there.
async fn seed_jobs(app: &Application) -> anyhow::Result<()> {
    let employer = app
        .accounts()
        .by_phone(DEMO_EMPLOYER)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo employer missing"))?;
    let open: Vec<String> = app
        .store()
        .employer_jobs(&employer.id)
        .await?
        .into_iter()
        .filter(|j| j.status == "open")
        .map(|j| j.tenant_code)
        .collect();
    let counties: Vec<Tenant> = app
        .store()
        .list_tenants()
        .await?
        .into_iter()
        .filter(|t| t.kind == TenantKind::County)
        .collect();
    for county in counties.iter().filter(|c| !open.contains(&c.code)) {
        for (i, template) in TEMPLATES.iter().enumerate() {
            let input = job_input(county, template, i, app.store().clock().now())?;
            jobs::publish(app.store(), app.rules(), app.accounts().keys(), &employer, input)
                .await
                .map_err(|e: ApiError| anyhow::anyhow!("demo post in {}: {e}", county.code))?;
        }
    }
    Ok(())
}

fn job_input(
    county: &Tenant,
    (title, occupation, description, wage): &(&str, &str, &str, i64),
    i: usize,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<JobInput> {
    let place =
        county.location.ok_or_else(|| anyhow::anyhow!("{} has no location", county.code))?;
    let today = crate::clock::china_date(now);
    let short = county.name.trim_end_matches("零工市场");
    let value = json!({
        "tenant": county.code, "title": format!("{short}{title}"), "description": description, "occupation_code": occupation,
        "headcount": 3, "district": county.region_code, "address": format!("{}附近", county.address),
        "location": {"lon": place.lon + 0.01 * i as f64, "lat": place.lat + 0.005 * i as f64},
        "work_start": (today + Duration::days(1)).to_string(), "work_end": (today + Duration::days(3)).to_string(),
        "daily_hours": 8.0, "wage_cents": wage, "wage_unit": "day", "settlement": "daily",
        "closes_at": (now + Duration::days(7)).to_rfc3339(), "contact_name": "李经理", "contact_phone": "13800000007",
    });
    Ok(serde_json::from_value(value)?)
}
