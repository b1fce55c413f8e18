//! End-to-end tests: the real host on a random port, a fresh database per test, HTTP only.

mod audit;
mod auth;
mod basics;
mod city_pages;
mod complaints;
mod console_pages;
mod employer_pages;
mod fault_isolation;
mod hiring;
mod hostile;
mod isolation;
mod jobs;
mod ledger_pages;
mod ledgers;
mod matching;
mod multi_host;
mod pages;
mod plugins;
mod privacy;
mod profiles;
mod races;
mod rules_pages;
mod tenants;
mod walkthrough;
mod worker_pages;
