//! What a serving host does on its own, every `sweep_interval`: posts whose hiring closed become
//! `expired`, overdue complaints escalate to the parent market, and failed logins that no longer
//! count are forgotten. The first sweep comes one interval after start, so a restarted host
//! catches up within a minute and a test that moves the clock decides when it sweeps.
//!
//! Each step is idempotent and works in its own transactions, so several hosts sharing one
//! PostgreSQL database may all sweep: the conditional updates let each change happen once.

use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::rules::Rules;
use crate::store::Store;

/// Sweep every `every`, starting one interval from now, until `stop` fires (or its sender is
/// dropped). A sweep in progress finishes first.
pub fn spawn(
    store: Store,
    rules: Rules,
    every: Duration,
    mut stop: oneshot::Receiver<()>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                biased;
                _ = &mut stop => break,
                _ = ticks.tick() => drop(sweep(&store, &rules).await),
            }
        }
    })
}

/// What one sweep did. A step that failed counts 0 (it is logged and retried next time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Posts whose hiring closed, now `expired`.
    pub expired: u64,
    /// Overdue complaints moved up (or flagged at the city).
    pub escalated: u64,
    /// Failed logins that no longer count, forgotten.
    pub forgotten: u64,
}

/// One sweep at the store's clock's "now": what the background task runs at every tick, and
/// what tests run after moving the clock.
pub async fn sweep(store: &Store, rules: &Rules) -> Swept {
    let now = store.clock().now();
    let expired = store.expire_jobs(&crate::store::stamp(now)).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "expiry sweep failed; retrying at the next tick");
        0
    });
    let escalated = crate::complaints::escalate_overdue(store, rules, now).await.map(|n| n as u64).unwrap_or_else(|e| {
        tracing::warn!(error = %format!("{e:#}"), "complaint escalation sweep failed; retrying at the next tick");
        0
    });
    let throttle = crate::accounts::throttle::LoginThrottle::new(store.clone());
    let forgotten = throttle.forget_old(now).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "forgetting old failed logins failed; retrying at the next tick");
        0
    });
    let swept = Swept { expired, escalated, forgotten };
    if swept != Swept::default() {
        tracing::info!(expired, escalated, forgotten, "housekeeping sweep");
    }
    swept
}
