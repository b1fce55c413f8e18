//! Who may run a plugin call now: a fair share per market under one global limit.
//!
//! Plugin calls are CPU-bound and run on blocking threads. With one shared limit, a market whose
//! plugin loops to its deadline can fill every slot and make a neighbour's 2 ms call wait seconds.
//! So each *share* (a market: a county together with its stations, or a city, specialty market)
//! may run at most `per_share` calls at once, and all shares together at most `global`. A call
//! that cannot start within `queue_wait` fails fast with [`PluginError::Busy`] naming its share:
//! the noisy market's own calls are refused, never the neighbour's.
//!
//! Both semaphores are FIFO (tokio's are fair), so within a share calls start in arrival order.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::error::PluginError;

/// The limits of [`Admission`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdmissionLimits {
    /// Calls running at once over all shares.
    pub global: u32,
    /// Calls running at once for one share.
    pub per_share: u32,
    /// How long a call may wait for a slot before it is refused.
    pub queue_wait: Duration,
}

/// Hands out the right to run a plugin call.
pub struct Admission {
    limits: AdmissionLimits,
    global: Arc<Semaphore>,
    shares: Mutex<HashMap<String, Arc<Semaphore>>>,
    refused: AtomicU64,
}

/// The right to run one call; dropping it frees both slots.
#[derive(Debug)]
pub struct Admitted {
    _share: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
    /// How long the call waited to be admitted.
    pub waited: Duration,
}

impl Admission {
    /// Admission under `limits`; at least one call may always run, and a share may never have more
    /// than the whole.
    pub fn new(limits: AdmissionLimits) -> Admission {
        let limits = AdmissionLimits {
            global: limits.global.max(1),
            per_share: limits.per_share.clamp(1, limits.global.max(1)),
            ..limits
        };
        Admission {
            global: Arc::new(Semaphore::new(limits.global as usize)),
            shares: Mutex::new(HashMap::new()),
            refused: AtomicU64::new(0),
            limits,
        }
    }

    /// The limits in force (after that adjustment).
    pub fn limits(&self) -> AdmissionLimits {
        self.limits
    }

    /// Calls refused because their share (or the whole runtime) stayed full past the queue bound.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Wait (at most `queue_wait` in all) for a slot of `share` and then a global one.
    pub async fn admit(&self, share: &str) -> Result<Admitted, PluginError> {
        let start = tokio::time::Instant::now();
        let deadline = start + self.limits.queue_wait;
        let share_permit = self.acquire(self.semaphore(share), deadline, share).await?;
        let global_permit = self.acquire(self.global.clone(), deadline, share).await?;
        Ok(Admitted { _share: share_permit, _global: global_permit, waited: start.elapsed() })
    }

    async fn acquire(
        &self,
        semaphore: Arc<Semaphore>,
        deadline: tokio::time::Instant,
        share: &str,
    ) -> Result<OwnedSemaphorePermit, PluginError> {
        match tokio::time::timeout_at(deadline, semaphore.acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(closed)) => Err(PluginError::Host(closed.to_string())),
            Err(_) => {
                self.refused.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(
                    share,
                    wait_ms = self.limits.queue_wait.as_millis() as u64,
                    "plugin call refused: its market's share stayed full"
                );
                Err(PluginError::Busy { share: share.to_string() })
            }
        }
    }

    fn semaphore(&self, share: &str) -> Arc<Semaphore> {
        let mut shares = self.shares.lock().expect("admission lock");
        shares
            .entry(share.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(self.limits.per_share as usize)))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admission() -> Admission {
        Admission::new(AdmissionLimits {
            global: 3,
            per_share: 2,
            queue_wait: Duration::from_millis(500),
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_share_refuses_its_own_calls_after_the_queue_bound() {
        let admission = admission();
        let _a = admission.admit("qixian").await.unwrap();
        let _b = admission.admit("qixian").await.unwrap();
        let started = tokio::time::Instant::now();
        let third = admission.admit("qixian").await;
        assert_eq!(third.unwrap_err(), PluginError::Busy { share: "qixian".into() });
        assert_eq!(
            started.elapsed(),
            Duration::from_millis(500),
            "refused exactly at the queue bound"
        );
        assert_eq!(admission.refused(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_neighbour_is_admitted_at_once_while_another_share_is_full() {
        let admission = admission();
        let _held =
            (admission.admit("qixian").await.unwrap(), admission.admit("qixian").await.unwrap());
        let started = tokio::time::Instant::now();
        let neighbour = admission.admit("lankao").await.unwrap();
        assert_eq!(started.elapsed(), Duration::ZERO, "no queueing behind another market");
        assert_eq!(neighbour.waited, Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_freed_slot_goes_to_the_waiting_call() {
        let admission = Arc::new(admission());
        let first = admission.admit("qixian").await.unwrap();
        let _second = admission.admit("qixian").await.unwrap();
        let waiting = tokio::spawn({
            let admission = admission.clone();
            async move { admission.admit("qixian").await.map(|a| a.waited) }
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        drop(first);
        assert_eq!(waiting.await.unwrap().unwrap(), Duration::from_millis(200));
    }

    #[tokio::test(start_paused = true)]
    async fn the_global_limit_holds_over_all_shares() {
        let admission = admission();
        let _held = (
            admission.admit("a").await.unwrap(),
            admission.admit("b").await.unwrap(),
            admission.admit("c").await.unwrap(),
        );
        assert_eq!(
            admission.admit("d").await.unwrap_err(),
            PluginError::Busy { share: "d".into() }
        );
    }
}
