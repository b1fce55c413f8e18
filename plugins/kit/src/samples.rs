//! Inputs for plugin tests: plain, plausible values a test changes with struct update syntax
//! (`PeriodFigures { matches: 0, ..samples::june(TenantKind::County) }`).

use crate::matching::{Candidate, JobFeatures, MatchRequest};
use crate::subsidy::{PeriodFigures, SubsidyRequest};
use crate::types::{Date, TenantKind};

/// A date.
pub fn date(year: i32, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

/// A busy government-run market's June 2026 (30 days, open every day).
pub fn june(kind: TenantKind) -> PeriodFigures {
    PeriodFigures {
        kind,
        period_start: date(2026, 6, 1),
        period_end: date(2026, 6, 30),
        people_served: 1_200,
        matches: 300,
        trainings: 4,
        rights_cases: 5,
        rights_cases_closed_in_time: 5,
        ledger_days: 28,
        open_days: 30,
        satisfaction: 4.6,
        operating_cost_cents: 6_000_000,
        is_government_run: true,
    }
}

/// A subsidy request for `figures`, made on 2026-07-05 (after June).
pub fn subsidy_request(figures: PeriodFigures) -> SubsidyRequest {
    SubsidyRequest { today: date(2026, 7, 5), figures }
}

/// A level-2 worker with ten good ratings and eight jobs done, asking 180.00元 a day, without a
/// health certificate.
pub fn candidate(skill_match: f32, distance_km: f32) -> Candidate {
    Candidate {
        skill_match,
        skill_level: 2,
        distance_km,
        wage_expectation_cents_per_day: 18_000,
        rating: 4.5,
        rating_count: 10,
        completed_jobs: 8,
        no_shows: 0,
        has_health_certificate: false,
    }
}

/// A job for level 1 paying 200.00元 a day, no health certificate required, on 2026-11-28.
pub fn match_request(candidates: Vec<Candidate>) -> MatchRequest {
    MatchRequest {
        today: date(2026, 11, 28),
        job: JobFeatures {
            required_level: 1,
            wage_cents_per_day: 20_000,
            requires_health_certificate: false,
        },
        candidates,
    }
}
