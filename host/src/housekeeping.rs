//! What a serving host does on its own, every `sweep_interval` (and once at start): posts whose
//! hiring closed become `expired`, overdue complaints escalate to the parent market, and failed
//! logins that no longer count are forgotten.
//!
//! Each step is idempotent and works in its own transactions, so several hosts sharing one
//! PostgreSQL database may all sweep: the conditional updates let each change happen once.

use std::time::Duration;

use chrono::Utc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::rules::Rules;
use crate::store::Store;

/// Sweep now and every `every` until `stop` fires (or its sender is dropped). A sweep in
/// progress finishes first.
pub fn spawn(
    store: Store,
    rules: Rules,
    every: Duration,
    mut stop: oneshot::Receiver<()>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                biased;
                _ = &mut stop => break,
                _ = ticks.tick() => sweep(&store, &rules).await,
            }
        }
    })
}

async fn sweep(store: &Store, rules: &Rules) {
    match store.expire_jobs(&crate::store::now()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(count = n, "job posts expired"),
        Err(e) => tracing::warn!(error = %e, "expiry sweep failed; retrying at the next tick"),
    }
    match crate::complaints::escalate_overdue(store, rules, Utc::now()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(count = n, "escalated overdue complaints"),
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "complaint escalation sweep failed; retrying at the next tick")
        }
    }
    if let Err(e) =
        crate::accounts::throttle::LoginThrottle::new(store.clone()).forget_old(Utc::now()).await
    {
        tracing::warn!(error = %e, "forgetting old failed logins failed; retrying at the next tick");
    }
}
