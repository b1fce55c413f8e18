//! Matching workers and jobs through each market's `matching` plugin, both ways, and batch
//! assignment (快速配岗) for a morning market.
//!
//! The host turns workers and jobs into the compact numeric features of `wit/matching.wit`
//! (no strings or PII cross the boundary), lets the plugin score a whole pool in one call, and
//! keeps the best. What is shown is then scored again through [`Rules::call`] so that a
//! receipt records exactly the ranking shown, with the plugin, configuration and inputs to
//! replay it. [`assign`] solves the batch problem exactly (Hungarian algorithm).

pub mod assign;
pub mod batch;
pub mod recommend;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::profiles::SKILL_LEVELS;
use crate::error::ApiError;
use crate::jobs::occupations::{self, OCCUPATIONS};
use crate::jobs::{JobDetails, distance_km};
use crate::plugins::PluginError;
use crate::plugins::bindings::matching::gigmarket::plugins::matching_types as mt;
use crate::plugins::slots::MatchingWorld;
use crate::rules::Rules;
use crate::store::Store;
use crate::store::jobs::JobRow;
use crate::store::matching::WorkerFeatures;
use crate::store::profiles::ProfileRow;
use crate::tenants::{GeoPoint, Tenant};

/// How many candidates go to the plugin in one call.
pub const CHUNK: usize = 5_000;

/// A worker's features from their profile (and their home market's place when they gave none).
pub fn worker_features(profile: &ProfileRow, home: &Tenant) -> Option<WorkerFeatures> {
    if profile.kind != "worker" {
        return None;
    }
    let d: serde_json::Value = serde_json::from_str(&profile.details).ok()?;
    let occupations: Vec<String> = d["occupations"]
        .as_array()?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let place = d["location"]
        .as_object()
        .and_then(|l| Some(GeoPoint { lon: l.get("lon")?.as_f64()?, lat: l.get("lat")?.as_f64()? }))
        .or(home.location)?;
    let wage = d["wage_expectation_cents"].as_i64().unwrap_or(0);
    let unit = match d["wage_unit"].as_str() {
        Some("hour") => crate::jobs::WageUnit::Hour,
        Some("month") => crate::jobs::WageUnit::Month,
        _ => crate::jobs::WageUnit::Day,
    };
    let certificates = d["certificates"]
        .as_array()
        .map(|c| c.iter().filter_map(|v| v.as_str()).any(|c| c.contains("健康证")))
        .unwrap_or(false);
    Some(WorkerFeatures {
        account_id: profile.account_id.clone(),
        home_tenant: profile.home_tenant.clone(),
        verified: profile.verification == "verified",
        occupations,
        skill_level: d["skill_level"].as_i64().unwrap_or(0).clamp(0, SKILL_LEVELS.len() as i64 - 1),
        lon: place.lon,
        lat: place.lat,
        wage_cents_per_day: crate::jobs::wage_per_day(wage, unit, 8.0).unwrap_or(wage),
        health_certificate: certificates,
        rating_sum: 0,
        rating_count: 0,
        completed: 0,
        no_shows: 0,
        certified_levels: Default::default(),
    })
}

/// Keep a worker's matching features in step with their stored profile (after any change of
/// the profile or of its verification). Their certified levels (from skill records) are kept,
/// and written in full when the features row is new.
pub async fn refresh_worker(store: &Store, account: &str) -> Result<(), ApiError> {
    let Some(profile) = store.profile(account).await? else { return Ok(()) };
    let Some(home) = store.get_tenant(&profile.home_tenant).await? else { return Ok(()) };
    if let Some(features) = worker_features(&profile, &home) {
        store.upsert_worker_features(&features).await?;
        store.sync_certified_levels(account).await?;
    }
    Ok(())
}

/// The level a worker is scored at for a post of `occupation`: the higher of their profile's
/// level and the highest certificate they hold for that occupation or one of the same 小类
/// (the first three parts of the code, similarity ≥ 0.5).
pub fn level_for(w: &WorkerFeatures, occupation: &str) -> i64 {
    w.certified_levels
        .iter()
        .filter(|(code, _)| occupations::similarity(occupation, code) >= 0.5)
        .map(|(_, level)| *level)
        .fold(w.skill_level, i64::max)
}

/// A worker's occupations: those of their profile, then those they hold a certificate for.
pub fn all_occupations(w: &WorkerFeatures) -> Vec<String> {
    let mut all = w.occupations.clone();
    for code in w.certified_levels.keys() {
        if !all.contains(code) {
            all.push(code.clone());
        }
    }
    all
}

/// What the plugin needs to know of a job.
pub fn job_features(job: &JobRow) -> mt::JobFeatures {
    let details: JobDetails = serde_json::from_str(&job.details).unwrap_or_default();
    let needs_health = occupations::find(&job.occupation_code)
        .is_some_and(|o| o.health_certificate)
        || details.qualifications.iter().any(|q| q.contains("健康证"));
    mt::JobFeatures {
        required_level: details.skill_level.unwrap_or(0),
        wage_cents_per_day: job.wage_cents_per_day.unwrap_or(job.wage_cents),
        requires_health_certificate: needs_health,
    }
}

/// One worker as a candidate for one job.
pub fn candidate(job: &JobRow, w: &WorkerFeatures) -> mt::Candidate {
    let skill_match = w
        .occupations
        .iter()
        .chain(w.certified_levels.keys())
        .map(|o| occupations::similarity(&job.occupation_code, o))
        .fold(0.0f32, f32::max);
    let distance =
        distance_km(&GeoPoint { lon: job.lon, lat: job.lat }, &GeoPoint { lon: w.lon, lat: w.lat });
    mt::Candidate {
        skill_match,
        skill_level: level_for(w, &job.occupation_code).clamp(0, 5) as u8,
        distance_km: distance as f32,
        wage_expectation_cents_per_day: w.wage_cents_per_day,
        rating: if w.rating_count == 0 { 0.0 } else { w.rating_sum as f32 / w.rating_count as f32 },
        rating_count: w.rating_count.clamp(0, u32::MAX as i64) as u32,
        completed_jobs: w.completed.clamp(0, u32::MAX as i64) as u32,
        no_shows: w.no_shows.clamp(0, u32::MAX as i64) as u32,
        has_health_certificate: w.health_certificate,
    }
}

/// One reason behind a score and what it was worth.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScoreReason {
    /// The reason's stable machine code, e.g. `match.skill` (the plugin's choice).
    pub code: String,
    /// The reason in Chinese, for workers and staff.
    pub message: String,
    /// How many points it added to the score (negative: took away).
    pub points: f32,
}

/// A score with the plugin's reasons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Scored {
    /// The plugin's score (higher is better; the scale is the plugin's).
    pub score: f64,
    /// The main contributions to it, largest first.
    pub reasons: Vec<ScoreReason>,
}

fn explain(result: &mt::MatchResult, s: &mt::Scored) -> Vec<ScoreReason> {
    s.contributions
        .iter()
        .filter_map(|c| {
            result.reasons.get(c.reason as usize).map(|r| ScoreReason {
                code: r.code.clone(),
                message: r.message.clone(),
                points: c.points,
            })
        })
        .collect()
}

/// A pool member's score, without its reasons (they are built only for what is shown).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    /// Index into the pool that was scored.
    pub index: usize,
    /// The plugin's score.
    pub score: f64,
}

/// Score every worker of `pool` for `job` with the tenant's plugin (in chunks, no receipts).
/// Workers the plugin leaves out (must not be offered the job) are absent.
pub async fn score_pool(
    rules: &Rules,
    tenant: &Tenant,
    job: &JobRow,
    pool: &[WorkerFeatures],
) -> Result<Vec<Ranked>, ApiError> {
    let features = job_features(job);
    let inputs: Vec<mt::MatchRequest> = pool
        .chunks(CHUNK)
        .map(|chunk| mt::MatchRequest {
            today: rules.clock().today().into(),
            job: features,
            candidates: chunk.iter().map(|w| candidate(job, w)).collect(),
        })
        .collect();
    let outputs = rules.call_many::<MatchingWorld>(tenant, inputs).await??;
    let mut scored = Vec::new();
    for (chunk, result) in outputs.iter().enumerate() {
        scored.extend(
            result
                .scores
                .iter()
                .map(|s| Ranked { index: chunk * CHUNK + s.candidate as usize, score: s.score }),
        );
    }
    Ok(scored)
}

/// Score one worker for each of `jobs` (all of one market) with the market's plugin, in one
/// hop to the plugin runtime. `None` where the plugin leaves the worker out; the inner error is
/// the market's plugin failing, which a ranking over several markets leaves out.
pub async fn score_jobs(
    rules: &Rules,
    tenant: &Tenant,
    jobs: &[&JobRow],
    worker: &WorkerFeatures,
) -> Result<Result<Vec<Option<Scored>>, PluginError>, ApiError> {
    let inputs: Vec<mt::MatchRequest> = jobs
        .iter()
        .map(|job| mt::MatchRequest {
            today: rules.clock().today().into(),
            job: job_features(job),
            candidates: vec![candidate(job, worker)],
        })
        .collect();
    let outputs = rules.call_many::<MatchingWorld>(tenant, inputs).await?;
    Ok(outputs.map(|outputs| {
        outputs
            .iter()
            .map(|r| r.scores.first().map(|s| Scored { score: s.score, reasons: explain(r, s) }))
            .collect()
    }))
}

/// The best `k`, highest score first (ties: lower index, i.e. the pool's order).
pub fn top(mut scored: Vec<Ranked>, k: usize) -> Vec<Ranked> {
    scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    scored.truncate(k);
    scored
}

/// Score the shown candidates once more through the receipt-keeping path, so that the receipt
/// holds exactly the ranking shown. Returns the receipt id and the scores in `shown` order.
pub async fn record(
    rules: &Rules,
    tenant: &Tenant,
    job: &JobRow,
    shown: &[&WorkerFeatures],
    source: &str,
) -> Result<(Option<String>, Vec<Option<Scored>>), ApiError> {
    let request = mt::MatchRequest {
        today: rules.clock().today().into(),
        job: job_features(job),
        candidates: shown.iter().map(|w| candidate(job, w)).collect(),
    };
    let decided = rules.call::<MatchingWorld>(tenant, request, source).await?;
    let mut out: Vec<Option<Scored>> = vec![None; shown.len()];
    for s in &decided.output.scores {
        if let Some(slot) = out.get_mut(s.candidate as usize) {
            *slot = Some(Scored { score: s.score, reasons: explain(&decided.output, s) });
        }
    }
    Ok((decided.decision_id, out))
}

/// The occupations a code list names, for display.
pub fn occupation_names(codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .map(|c| {
            OCCUPATIONS
                .iter()
                .find(|o| o.code == c)
                .map_or_else(|| c.clone(), |o| o.name.to_string())
        })
        .collect()
}
