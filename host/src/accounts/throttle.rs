//! Rate limiting of failed logins per client address, on top of the per-account lockout: one
//! address guessing passwords for many phone numbers is slowed down too.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed logins allowed per address within a window.
pub const MAX_FAILURES_PER_WINDOW: usize = 20;
pub const WINDOW: Duration = Duration::from_secs(10 * 60);

/// Recent failure times per address. In memory: each host limits what it sees.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<IpAddr, Vec<Instant>>>,
}

impl LoginThrottle {
    /// Whether `addr` may try now.
    pub fn allows(&self, addr: IpAddr, now: Instant) -> bool {
        let mut map = self.failures.lock().expect("lock");
        let recent = map.entry(addr).or_default();
        recent.retain(|t| now.duration_since(*t) < WINDOW);
        recent.len() < MAX_FAILURES_PER_WINDOW
    }

    /// Count a failed attempt from `addr`.
    pub fn failed(&self, addr: IpAddr, now: Instant) {
        let mut map = self.failures.lock().expect("lock");
        map.entry(addr).or_default().push(now);
        if map.len() > 100_000 {
            map.retain(|_, v| v.last().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_stopped_after_too_many_failures_and_let_go_after_the_window() {
        let t = LoginThrottle::default();
        let addr: IpAddr = "10.1.2.3".parse().unwrap();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES_PER_WINDOW {
            assert!(t.allows(addr, start));
            t.failed(addr, start);
        }
        assert!(!t.allows(addr, start));
        assert!(t.allows("10.1.2.4".parse().unwrap(), start), "other addresses are not affected");
        assert!(t.allows(addr, start + WINDOW), "the window passes");
    }
}
