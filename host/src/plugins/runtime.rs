//! The one owner of the `wasmtime::Engine`.
//!
//! - Compiling: a component is compiled once per content hash (sha256); the compiled artifact is
//!   cached on disk under a directory keyed by the engine's compatibility hash, so a restart
//!   deserialises (≈0.1 ms) instead of compiling (tens of ms).
//! - Detecting: a component's slot is found by trying each slot world's typed pre-instantiation;
//!   it must match exactly one. Imports other than the `host` interface are defined as traps:
//!   no WASI capability reaches a plugin.
//! - Calling: one fresh instance per call (cheap on the pooling allocator), with a fuel budget, an
//!   epoch deadline, a memory cap and an output size cap from the slot's [`SlotLimits`]. Every
//!   failure becomes a [`PluginError`] for that call only.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, Trap};

use super::bindings::{host, types};
use super::error::PluginError;
use super::slots::{
    EvaluationWorld, MatchingWorld, NamingWorld, PostingReviewWorld, ServiceCatalogWorld, Slot, SlotLimits, SlotPre, SlotWorld,
    SubsidyWorld,
};

/// How often the epoch ticks; deadlines are counted in ticks.
const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Settings of the plugin runtime (part of [`crate::config::Config`]).
#[derive(Debug, Clone)]
pub struct RuntimeSettings {
    /// Largest component accepted.
    pub max_component_bytes: usize,
    /// Calls running at once; also sizes the instance pool.
    pub max_concurrent_calls: u32,
    /// Use the pooling allocator (falls back to on-demand if the machine refuses it).
    pub pooling: bool,
    /// Per-slot limits overriding [`Slot::default_limits`].
    pub limits: HashMap<Slot, SlotLimits>,
}

impl Default for RuntimeSettings {
    fn default() -> Self {
        RuntimeSettings { max_component_bytes: 8 << 20, max_concurrent_calls: 32, pooling: true, limits: HashMap::new() }
    }
}

impl RuntimeSettings {
    /// Parse per-slot limit overrides: `{"matching": {"fuel": 1000000000, "deadline_ms": 1000,
    /// "memory_bytes": 67108864, "output_bytes": 8388608}}` (every field of a slot's limits).
    pub fn parse_limits(json: &str) -> Result<HashMap<Slot, SlotLimits>, String> {
        let limits: HashMap<Slot, SlotLimits> = serde_json::from_str(json).map_err(|e| format!("plugin limits: {e}"))?;
        match limits.iter().find(|(_, l)| l.fuel == 0 || l.deadline_ms == 0 || l.memory_bytes < (1 << 20) || l.output_bytes == 0) {
            Some((slot, _)) => Err(format!("plugin limits for `{}`: fuel, deadline and output must be positive and memory at least 1 MiB", slot.as_str())),
            None => Ok(limits),
        }
    }

    pub fn limits(&self, slot: Slot) -> SlotLimits {
        self.limits.get(&slot).copied().unwrap_or_else(|| slot.default_limits())
    }
}

/// A compiled plugin, ready to be instantiated for a call.
pub struct LoadedPlugin {
    pub hash: String,
    pub size: usize,
    pre: SlotPre,
}

impl LoadedPlugin {
    pub fn slot(&self) -> Slot {
        self.pre.slot()
    }
}

/// Who a call is for and under which configuration.
#[derive(Debug, Clone)]
pub struct CallContext {
    pub tenant: types::TenantInfo,
    /// The binding's configuration, JSON text.
    pub config: String,
}

/// A successful call: its output and what it cost.
#[derive(Debug, Clone, Serialize)]
pub struct Called<O> {
    pub output: O,
    pub fuel_used: u64,
    pub duration_us: u64,
}

/// Counters that prove the compile cache works.
#[derive(Debug, Clone, Copy, Default, Serialize, utoipa::ToSchema)]
pub struct RuntimeStats {
    /// Components compiled from bytes by this process.
    pub compiled: u64,
    /// Components loaded from the on-disk artifact cache.
    pub cache_hits: u64,
    /// Components in memory.
    pub loaded: u64,
    pub pooling: bool,
}

pub struct Runtime {
    engine: Engine,
    linker: Linker<HostState>,
    cache_dir: Option<PathBuf>,
    settings: RuntimeSettings,
    pooling: bool,
    loaded: RwLock<HashMap<String, Arc<LoadedPlugin>>>,
    compiled: AtomicU64,
    cache_hits: AtomicU64,
    calls: Arc<tokio::sync::Semaphore>,
    _ticker: EpochTicker,
}

impl Runtime {
    /// Build the engine. `cache_root` is where compiled artifacts are kept (none: no cache).
    pub fn new(settings: RuntimeSettings, cache_root: Option<&Path>) -> anyhow::Result<Runtime> {
        let (engine, pooling) = build_engine(&settings)?;
        let mut linker = Linker::new(&engine);
        host::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |s| s)?;
        let cache_dir = match cache_root {
            Some(root) => {
                let dir = root.join(engine_fingerprint(&engine));
                std::fs::create_dir_all(&dir)?;
                Some(dir)
            }
            None => None,
        };
        Ok(Runtime {
            _ticker: EpochTicker::start(engine.clone()),
            calls: Arc::new(tokio::sync::Semaphore::new(settings.max_concurrent_calls as usize)),
            engine,
            linker,
            cache_dir,
            settings,
            pooling,
            loaded: RwLock::new(HashMap::new()),
            compiled: AtomicU64::new(0),
            cache_hits: AtomicU64::new(0),
        })
    }

    pub fn settings(&self) -> &RuntimeSettings {
        &self.settings
    }

    pub fn stats(&self) -> RuntimeStats {
        RuntimeStats {
            compiled: self.compiled.load(Ordering::Relaxed),
            cache_hits: self.cache_hits.load(Ordering::Relaxed),
            loaded: self.loaded.read().expect("lock").len() as u64,
            pooling: self.pooling,
        }
    }

    /// The hex sha256 of a component's bytes: its identity everywhere.
    pub fn hash_of(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    /// A plugin already in memory.
    pub fn get(&self, hash: &str) -> Option<Arc<LoadedPlugin>> {
        self.loaded.read().expect("lock").get(hash).cloned()
    }

    /// Verify, compile (or load from the cache) and detect the slot of a component.
    /// CPU-bound: call it from a blocking context.
    pub fn load(&self, bytes: &[u8]) -> Result<Arc<LoadedPlugin>, PluginError> {
        check_header(bytes, self.settings.max_component_bytes)?;
        let hash = Self::hash_of(bytes);
        if let Some(loaded) = self.get(&hash) {
            return Ok(loaded);
        }
        let component = self.compile(&hash, bytes)?;
        let mut linker = self.linker.clone();
        linker.define_unknown_imports_as_traps(&component).map_err(|e| PluginError::Host(e.to_string()))?;
        let pre = linker.instantiate_pre(&component).map_err(|e| PluginError::UnknownWorld(format!("{e:#}")))?;
        let mut found = SlotPre::detect(&pre);
        let pre = match found.len() {
            1 => found.pop().expect("one"),
            0 => return Err(PluginError::UnknownWorld("its exports match none of the slot worlds".into())),
            _ => {
                let names: Vec<&str> = found.iter().map(|p| p.slot().as_str()).collect();
                return Err(PluginError::AmbiguousWorld(names.join(", ")));
            }
        };
        let plugin = Arc::new(LoadedPlugin { hash: hash.clone(), size: bytes.len(), pre });
        self.loaded.write().expect("lock").insert(hash, plugin.clone());
        Ok(plugin)
    }

    /// Compile, going through the on-disk artifact cache.
    fn compile(&self, hash: &str, bytes: &[u8]) -> Result<Component, PluginError> {
        let cached = self.cache_dir.as_ref().map(|d| d.join(format!("{hash}.cwasm")));
        if let Some(path) = cached.as_ref().filter(|p| p.exists()) {
            // SAFETY: the cache directory is written only by this function, with artifacts
            // produced by `Component::serialize` of an engine with the same fingerprint.
            match unsafe { Component::deserialize_file(&self.engine, path) } {
                Ok(component) => {
                    self.cache_hits.fetch_add(1, Ordering::Relaxed);
                    return Ok(component);
                }
                Err(e) => tracing::warn!(error = %e, path = %path.display(), "discarding unusable compiled plugin"),
            }
        }
        let component = Component::new(&self.engine, bytes).map_err(|e| PluginError::InvalidWasm(format!("{e:#}")))?;
        self.compiled.fetch_add(1, Ordering::Relaxed);
        if let Some(Err(e)) = cached.map(|path| write_artifact(&component, &path)) {
            tracing::warn!(error = %e, "cannot cache compiled plugin");
        }
        Ok(component)
    }

    /// Call a plugin with a typed input. CPU-bound: call it from a blocking context.
    pub fn call<W: SlotWorld>(&self, plugin: &LoadedPlugin, ctx: &CallContext, input: &W::Input) -> Result<Called<W::Output>, PluginError> {
        let pre = W::unwrap(&plugin.pre).ok_or_else(|| PluginError::Host(format!("plugin implements {}, not {}", plugin.slot().as_str(), W::SLOT.as_str())))?;
        let limits = self.settings.limits(W::SLOT);
        let mut store = self.store(plugin, ctx, &limits)?;
        let start = Instant::now();
        let result = W::run(pre, &mut store, input);
        let duration_us = start.elapsed().as_micros() as u64;
        let fuel_used = limits.fuel.saturating_sub(store.get_fuel().unwrap_or(0));
        let output = result.map_err(|e| classify(&e, store.data()))?;
        let size = json_size(&output).map_err(|e| PluginError::InvalidOutput(e.to_string()))?;
        if size > limits.output_bytes {
            return Err(PluginError::OutputTooLarge { size, limit: limits.output_bytes });
        }
        W::check(input, &output).map_err(PluginError::InvalidOutput)?;
        Ok(Called { output, fuel_used, duration_us })
    }

    /// Call with a JSON input and get a JSON output: the playground, replays and dry-runs.
    pub fn call_json(&self, plugin: &LoadedPlugin, ctx: &CallContext, input: &serde_json::Value) -> Result<Called<serde_json::Value>, PluginError> {
        match plugin.slot() {
            Slot::Naming => self.call_json_as::<NamingWorld>(plugin, ctx, input),
            Slot::ServiceCatalog => self.call_json_as::<ServiceCatalogWorld>(plugin, ctx, input),
            Slot::PostingReview => self.call_json_as::<PostingReviewWorld>(plugin, ctx, input),
            Slot::Matching => self.call_json_as::<MatchingWorld>(plugin, ctx, input),
            Slot::Subsidy => self.call_json_as::<SubsidyWorld>(plugin, ctx, input),
            Slot::Evaluation => self.call_json_as::<EvaluationWorld>(plugin, ctx, input),
        }
    }

    fn call_json_as<W: SlotWorld>(&self, plugin: &LoadedPlugin, ctx: &CallContext, input: &serde_json::Value) -> Result<Called<serde_json::Value>, PluginError> {
        let input: W::Input = serde_path_to_error::deserialize(input).map_err(|e| {
            let path = e.path().to_string();
            PluginError::InvalidInput { message: e.into_inner().to_string(), field: (path != ".").then_some(path) }
        })?;
        let called = self.call::<W>(plugin, ctx, &input)?;
        let output = serde_json::to_value(&called.output).map_err(|e| PluginError::Host(e.to_string()))?;
        Ok(Called { output, fuel_used: called.fuel_used, duration_us: called.duration_us })
    }

    /// Run `f` on a blocking thread once one of the call slots is free, so that at most
    /// `max_concurrent_calls` plugin calls run at once and async workers are never blocked.
    pub async fn blocking<R: Send + 'static>(self: &Arc<Self>, f: impl FnOnce(&Runtime) -> R + Send + 'static) -> Result<R, PluginError> {
        let _permit = self.calls.clone().acquire_owned().await.map_err(|e| PluginError::Host(e.to_string()))?;
        let runtime = self.clone();
        tokio::task::spawn_blocking(move || f(&runtime)).await.map_err(|e| PluginError::Host(format!("plugin call aborted: {e}")))
    }

    /// A fresh store for one call, with every limit set in this one place.
    fn store(&self, plugin: &LoadedPlugin, ctx: &CallContext, limits: &SlotLimits) -> Result<Store<HostState>, PluginError> {
        let state = HostState {
            limiter: MemoryCap { limit: limits.memory_bytes, denied: false },
            tenant: ctx.tenant.clone(),
            config: ctx.config.clone(),
            slot: plugin.slot(),
            plugin_hash: plugin.hash.clone(),
            log_lines: 0,
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limiter);
        store.set_fuel(limits.fuel).map_err(|e| PluginError::Host(e.to_string()))?;
        store.set_epoch_deadline(limits.deadline_ms.div_ceil(EPOCH_TICK.as_millis() as u64) + 1);
        store.epoch_deadline_trap();
        Ok(store)
    }
}

/// The size of a value's JSON form, counted without building it.
fn json_size(value: &impl Serialize) -> serde_json::Result<usize> {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, value)?;
    Ok(count.0)
}

fn build_engine(settings: &RuntimeSettings) -> anyhow::Result<(Engine, bool)> {
    let mut config = wasmtime::Config::new();
    config.consume_fuel(true).epoch_interruption(true).concurrency_support(false);
    if settings.pooling {
        let n = settings.max_concurrent_calls.max(1);
        let max_memory = Slot::ALL.iter().map(|s| settings.limits(*s).memory_bytes).max().unwrap_or(64 << 20);
        let mut pool = PoolingAllocationConfig::new();
        pool.total_component_instances(n)
            .total_core_instances(n * 8)
            .total_memories(n * 2)
            .total_tables(n * 4)
            .max_memory_size(max_memory);
        let mut pooled = config.clone();
        pooled.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        match Engine::new(&pooled) {
            Ok(engine) => return Ok((engine, true)),
            Err(e) => tracing::warn!(error = %e, "pooling allocator unavailable; using on-demand allocation"),
        }
    }
    Ok((Engine::new(&config)?, false))
}

/// Artifacts compiled by one engine configuration are rejected by another: key the cache by it.
fn engine_fingerprint(engine: &Engine) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    format!("engine-{:016x}", hasher.finish())
}

fn write_artifact(component: &Component, path: &Path) -> anyhow::Result<()> {
    let bytes = component.serialize()?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Refuse what is not a component before spending time compiling it.
fn check_header(bytes: &[u8], limit: usize) -> Result<(), PluginError> {
    if bytes.len() > limit {
        return Err(PluginError::TooLarge { size: bytes.len(), limit });
    }
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err(PluginError::InvalidWasm("missing the \\0asm magic number".into()));
    }
    match bytes[4..8] {
        [1, 0, 0, 0] => Err(PluginError::NotComponent),
        [_, _, 1, 0] => Ok(()),
        _ => Err(PluginError::InvalidWasm("unknown WebAssembly version or layer".into())),
    }
}

/// Map a failed call to its error: the memory cap first (a denied allocation usually surfaces
/// as a trap in the guest's allocator), then the kind of trap.
fn classify(err: &wasmtime::Error, state: &HostState) -> PluginError {
    let error = if state.limiter.denied {
        PluginError::Memory
    } else {
        match err.downcast_ref::<Trap>() {
            Some(Trap::OutOfFuel) => PluginError::FuelExhausted,
            Some(Trap::Interrupt) => PluginError::Timeout,
            Some(trap) => PluginError::Trap(trap.to_string()),
            None => PluginError::Trap(format!("{:#}", err.root_cause())),
        }
    };
    tracing::warn!(tenant = %state.tenant.code, slot = state.slot.as_str(), plugin = %state.plugin_hash, code = error.code(), error = %err, "plugin call failed");
    error
}

/// The data of one call's store: what the host imports may read, and the memory cap.
pub struct HostState {
    limiter: MemoryCap,
    tenant: types::TenantInfo,
    config: String,
    slot: Slot,
    plugin_hash: String,
    log_lines: u32,
}

/// At most this many log lines per call, each cut to this many characters.
const MAX_LOG_LINES: u32 = 100;
const MAX_LOG_CHARS: usize = 1_000;

impl host::Host for HostState {
    fn log(&mut self, level: host::LogLevel, message: String) {
        self.log_lines += 1;
        if self.log_lines > MAX_LOG_LINES {
            return;
        }
        let message: String = message.chars().take(MAX_LOG_CHARS).collect();
        let (tenant, slot, plugin) = (&self.tenant.code, self.slot.as_str(), &self.plugin_hash[..12]);
        match level {
            host::LogLevel::Debug => tracing::debug!(tenant, slot, plugin, "plugin: {message}"),
            host::LogLevel::Info => tracing::info!(tenant, slot, plugin, "plugin: {message}"),
            host::LogLevel::Warn => tracing::warn!(tenant, slot, plugin, "plugin: {message}"),
            host::LogLevel::Error => tracing::error!(tenant, slot, plugin, "plugin: {message}"),
        }
    }

    fn config(&mut self) -> String {
        self.config.clone()
    }

    fn tenant(&mut self) -> types::TenantInfo {
        self.tenant.clone()
    }
}

impl types::Host for HostState {}

/// Denies any memory growth past the call's cap, and remembers that it did.
struct MemoryCap {
    limit: usize,
    denied: bool,
}

impl wasmtime::ResourceLimiter for MemoryCap {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        let allow = desired <= self.limit;
        self.denied |= !allow;
        Ok(allow)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }
}

/// Increments the engine's epoch every [`EPOCH_TICK`] until dropped.
struct EpochTicker {
    stop: Arc<AtomicBool>,
}

impl EpochTicker {
    fn start(engine: Engine) -> EpochTicker {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::Builder::new()
            .name("wasm-epoch".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(EPOCH_TICK);
                    engine.increment_epoch();
                }
            })
            .expect("spawn the epoch thread");
        EpochTicker { stop }
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_limits_are_configurable_and_checked() {
        let limits = RuntimeSettings::parse_limits(r#"{"matching": {"fuel": 5, "deadline_ms": 100, "memory_bytes": 2097152, "output_bytes": 10}}"#).unwrap();
        assert_eq!(limits[&Slot::Matching].deadline_ms, 100);
        assert!(RuntimeSettings::parse_limits(r#"{"matching": {"fuel": 0, "deadline_ms": 100, "memory_bytes": 2097152, "output_bytes": 10}}"#).is_err());
        assert!(RuntimeSettings::parse_limits(r#"{"matchmaking": {}}"#).unwrap_err().contains("matchmaking"));
    }

    #[test]
    fn json_sizes_are_counted_exactly() {
        let v = serde_json::json!({"a": [1, 2, 3], "b": "大"});
        assert_eq!(json_size(&v).unwrap(), serde_json::to_vec(&v).unwrap().len());
    }

    #[test]
    fn headers_are_checked_before_compiling() {
        assert!(matches!(check_header(b"hello world", 100), Err(PluginError::InvalidWasm(_))));
        assert_eq!(check_header(b"\0asm\x01\0\0\0", 100), Err(PluginError::NotComponent));
        assert_eq!(check_header(b"\0asm\x0d\0\x01\0", 100), Ok(()));
        assert_eq!(check_header(&[0; 200], 100), Err(PluginError::TooLarge { size: 200, limit: 100 }));
    }
}
