//! Everything that can go wrong loading or calling a plugin, as stable codes.
//!
//! The guest is to blame for all but [`PluginError::Host`], [`PluginError::Busy`] (its market has
//! too many calls running) and [`PluginError::HostOverloaded`] (a replay missed its safety
//! deadline: the host is slow, the plugin did not decide differently); none of them harms the host or another
//! tenant: the failed call's instance is dropped and the next call gets a fresh one.

use axum::http::StatusCode;

use crate::error::ApiError;

/// Why loading or calling a plugin failed. Each variant has a stable code ([`PluginError::code`])
/// and becomes an [`ApiError`] with a fitting status: 422 for a bad upload (413 when too large),
/// 502 when the plugin misbehaved, 503 when the host is too busy, 400 for bad input, 500 for the
/// host's own faults.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PluginError {
    /// The upload is not valid WebAssembly (why: a bad header, or the compiler's message).
    #[error("not WebAssembly")]
    InvalidWasm(String),
    /// The upload is a core Wasm module; plugins must be components.
    #[error("a core module, not a component")]
    NotComponent,
    /// The component implements none of the slot worlds (why).
    #[error("component of no known slot world: {0}")]
    UnknownWorld(String),
    /// The component implements more than one slot world (which ones).
    #[error("component implements several slot worlds: {0}")]
    AmbiguousWorld(String),
    /// The upload is larger than the runtime accepts.
    #[error("component too large: {size} bytes (limit {limit})")]
    TooLarge {
        /// The upload's size, in bytes.
        size: usize,
        /// The most bytes a component may have.
        limit: usize,
    },
    /// The plugin trapped (a panic, an unreachable, a linked-to-trap import, …).
    #[error("plugin trapped: {0}")]
    Trap(String),
    /// The call used up its fuel (instruction budget).
    #[error("plugin ran out of fuel")]
    FuelExhausted,
    /// The call ran past its wall-clock deadline (epoch interruption).
    #[error("plugin missed its deadline")]
    Timeout,
    /// The plugin tried to grow its memory beyond the slot's limit.
    #[error("plugin exceeded its memory limit")]
    Memory,
    /// The output breaks an invariant of the slot (which one).
    #[error("plugin output breaks the slot's rules: {0}")]
    InvalidOutput(String),
    /// The output is larger than the slot's limit.
    #[error("plugin output too large: {} (limit {limit} bytes)", size.map_or_else(|| "refused before copying".to_string(), |s| format!("{s} bytes")))]
    OutputTooLarge {
        /// The output's JSON size in bytes; `None` when the copy was refused before it was made
        /// (more than `limit`).
        size: Option<usize>,
        /// The slot's output limit, in bytes.
        limit: usize,
    },
    /// The market's share of the runtime (or the whole runtime) stayed full past the queue
    /// bound: too many calls at once.
    #[error("the rules of market `{share}` are busy: too many calls at once")]
    Busy {
        /// The share that was full: a market's code (see `rules::share_of`), or `@compile` for
        /// compiling.
        share: String,
    },
    /// A replay missed its safety deadline: the host is slow, the plugin did not decide
    /// differently.
    #[error("the host is overloaded: the call missed its safety deadline")]
    HostOverloaded,
    /// The input does not fit the slot (a date out of range, a period that ends before it
    /// starts, JSON of the wrong shape).
    #[error("input does not fit the slot: {message}")]
    InvalidInput {
        /// What is wrong, in English.
        message: String,
        /// The input field at fault, when one is.
        field: Option<String>,
    },
    /// Something failed in the host itself (compiling, the cache, a join): not the plugin's fault.
    #[error("host error: {0}")]
    Host(String),
}

impl PluginError {
    /// The stable code clients can match on.
    pub fn code(&self) -> &'static str {
        match self {
            PluginError::InvalidWasm(_) => "plugin_invalid_wasm",
            PluginError::NotComponent => "plugin_not_component",
            PluginError::UnknownWorld(_) => "plugin_unknown_world",
            PluginError::AmbiguousWorld(_) => "plugin_ambiguous_world",
            PluginError::TooLarge { .. } => "plugin_too_large",
            PluginError::Trap(_) => "plugin_trap",
            PluginError::FuelExhausted => "plugin_fuel_exhausted",
            PluginError::Timeout => "plugin_timeout",
            PluginError::Memory => "plugin_memory",
            PluginError::InvalidOutput(_) => "plugin_invalid_output",
            PluginError::OutputTooLarge { .. } => "plugin_output_too_large",
            PluginError::Busy { .. } => "plugin_busy",
            PluginError::HostOverloaded => "host_overloaded",
            PluginError::InvalidInput { .. } => "invalid_input",
            PluginError::Host(_) => "plugin_host_error",
        }
    }

    /// Chinese explanation for people.
    fn zh(&self) -> &'static str {
        match self {
            PluginError::InvalidWasm(_) => "上传的文件不是 WebAssembly",
            PluginError::NotComponent => "上传的是核心模块,插件必须是 WebAssembly 组件",
            PluginError::UnknownWorld(_) => "组件没有实现任何已知的插件槽位",
            PluginError::AmbiguousWorld(_) => "组件同时实现了多个插件槽位",
            PluginError::TooLarge { .. } => "插件文件过大",
            PluginError::Trap(_) => "插件运行出错",
            PluginError::FuelExhausted => "插件计算量超出限额",
            PluginError::Timeout => "插件运行超时",
            PluginError::Memory => "插件内存超出限额",
            PluginError::InvalidOutput(_) => "插件输出不符合槽位规则",
            PluginError::OutputTooLarge { .. } => "插件输出过大",
            PluginError::Busy { .. } => "该市场的规则插件正忙,请稍后重试",
            PluginError::HostOverloaded => {
                "服务器负载过高,未能在安全时限内完成,请稍后重试(这不是插件的不同决定)"
            }
            PluginError::InvalidInput { .. } => "输入不符合该槽位的格式",
            PluginError::Host(_) => "插件运行环境出错",
        }
    }

    /// Whether the plugin's own behaviour caused it (as opposed to the host or the load on it).
    pub fn is_plugin_failure(&self) -> bool {
        !matches!(
            self,
            PluginError::Host(_)
                | PluginError::Busy { .. }
                | PluginError::HostOverloaded
                | PluginError::InvalidInput { .. }
        )
    }

    fn status(&self) -> StatusCode {
        match self {
            PluginError::InvalidWasm(_)
            | PluginError::NotComponent
            | PluginError::UnknownWorld(_)
            | PluginError::AmbiguousWorld(_) => StatusCode::UNPROCESSABLE_ENTITY,
            PluginError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            PluginError::InvalidInput { .. } => StatusCode::BAD_REQUEST,
            PluginError::Host(_) => StatusCode::INTERNAL_SERVER_ERROR,
            PluginError::Busy { .. } | PluginError::HostOverloaded => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            // The plugin failed, not the request: a bad gateway to the tenant's rule.
            _ => StatusCode::BAD_GATEWAY,
        }
    }
}

impl From<PluginError> for ApiError {
    fn from(err: PluginError) -> ApiError {
        let field = match &err {
            PluginError::InvalidInput { field, .. } => field.clone(),
            _ => None,
        };
        let api = ApiError::new(err.status(), err.code(), err.zh(), &err.to_string());
        match field {
            Some(f) => api.with_field(f),
            None => api,
        }
    }
}
