//! gigmarket: one host that serves every public gig-labour market (零工市场) of a city as a tenant.
//!
//! Where to start reading: [`app::Application`] builds a running server from a [`config::Config`];
//! [`store::Store`] is the one door to the database; [`tenants`] holds the 1+10+N market tree and
//! the rules that keep it well formed; [`api`] is the HTTP surface. `docs/architecture.md` has the
//! map and the invariants.

pub mod accounts;
pub mod api;
pub mod app;
pub mod audit;
pub mod authz;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod complaints;
pub mod config;
pub mod demo;
pub mod engagements;

pub mod error;
pub mod housekeeping;
pub mod identity;
pub mod jobs;
pub mod ledgers;
pub mod matching;
pub mod plugins;
pub mod regions;
pub mod rules;
pub mod stats;
pub mod store;
pub mod telemetry;
pub mod tenants;
pub mod trainings;
pub mod web;
