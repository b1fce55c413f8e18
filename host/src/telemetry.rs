//! Structured logging with `tracing`.

use tracing_subscriber::EnvFilter;

/// Log to stderr, filtered by `RUST_LOG` (default: `info` for gigmarket, `warn` elsewhere).
/// `GIGMARKET_LOG_FORMAT=json` switches to one JSON object per line for log collectors.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("warn,gigmarket=info,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = if std::env::var("GIGMARKET_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    // A second init (e.g. in tests) keeps the first subscriber.
    let _ = result;
}
