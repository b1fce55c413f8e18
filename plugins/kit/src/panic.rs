//! A panic's message, reported through the host's log.
//!
//! The standard panic handler reads the environment (`RUST_BACKTRACE`) through WASI, which no
//! plugin may import: the call then fails with "unknown import `wasi:cli/environment`" and the
//! author never sees why it panicked. [`install`] sets a hook that logs the message and its place
//! at error level instead; the host shows the last error a plugin logged with its trap
//! (`plugin_trap`). The slot macros call it first thing in every export.

use crate::host::{self, LogLevel};
use std::sync::Once;

/// Report this plugin's panics through its `host.log` import (once per instance).
pub fn install() {
    report_to(|message| host::log(LogLevel::Error, message))
}

/// Install (once per instance) a panic hook that hands the message to `log`.
pub fn report_to(log: fn(&str)) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(move |info| log(&describe(info)))));
}

/// "panicked at src/lib.rs:12:5: the message".
pub fn describe(info: &std::panic::PanicHookInfo<'_>) -> String {
    let message = info
        .payload()
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    match info.location() {
        Some(at) => format!("panicked at {}:{}:{}: {message}", at.file(), at.line(), at.column()),
        None => format!("panicked: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    #[test]
    fn the_message_and_its_place_are_described() {
        let seen = Arc::new(Mutex::new(String::new()));
        let sink = seen.clone();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| *sink.lock().unwrap() = super::describe(info)));
        let _ = std::panic::catch_unwind(|| panic!("规则配置缺少 {}", "rates"));
        std::panic::set_hook(previous);
        let seen = seen.lock().unwrap().clone();
        assert!(seen.starts_with("panicked at plugins/kit/src/panic.rs:"), "{seen}");
        assert!(seen.ends_with(": 规则配置缺少 rates"), "{seen}");
    }
}
