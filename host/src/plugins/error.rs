//! Everything that can go wrong loading or calling a plugin, as stable codes.
//!
//! The guest is to blame for all but [`PluginError::Host`], [`PluginError::Busy`] (its market has
//! too many calls running) and [`PluginError::HostOverloaded`] (a replay missed its safety
//! deadline: the host is slow, the plugin did not decide differently); none of them harms the host or another
//! tenant: the failed call's instance is dropped and the next call gets a fresh one.

use axum::http::StatusCode;

use crate::error::ApiError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PluginError {
    #[error("not WebAssembly")]
    InvalidWasm(String),
    #[error("a core module, not a component")]
    NotComponent,
    #[error("component of no known slot world: {0}")]
    UnknownWorld(String),
    #[error("component implements several slot worlds: {0}")]
    AmbiguousWorld(String),
    #[error("component too large: {size} bytes (limit {limit})")]
    TooLarge { size: usize, limit: usize },
    #[error("plugin trapped: {0}")]
    Trap(String),
    #[error("plugin ran out of fuel")]
    FuelExhausted,
    #[error("plugin missed its deadline")]
    Timeout,
    #[error("plugin exceeded its memory limit")]
    Memory,
    #[error("plugin output breaks the slot's rules: {0}")]
    InvalidOutput(String),
    /// `size` is `None` when the copy was refused before it was made (more than `limit`).
    #[error("plugin output too large: {} (limit {limit} bytes)", size.map_or_else(|| "refused before copying".to_string(), |s| format!("{s} bytes")))]
    OutputTooLarge { size: Option<usize>, limit: usize },
    #[error("the rules of market `{share}` are busy: too many calls at once")]
    Busy { share: String },
    #[error("the host is overloaded: the call missed its safety deadline")]
    HostOverloaded,
    #[error("input does not fit the slot: {message}")]
    InvalidInput { message: String, field: Option<String> },
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
