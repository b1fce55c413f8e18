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
//! - Admitting: each market gets a fair share of the calls that may run at once
//!   ([`super::admission`]); a market that floods its own plugin is refused, not its neighbours.
//! - Determinism: the engine canonicalises NaNs and gives relaxed-SIMD instructions their
//!   deterministic semantics, so a plugin decides the same on every CPU of a fleet; replays are
//!   bounded by the fuel they were recorded with ([`Budget::replay`]), not by the wall clock.

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

use super::admission::{Admission, AdmissionLimits};
use super::bindings::{host, types};
use super::error::PluginError;
use super::slots::{
    EvaluationWorld, MatchingWorld, NamingWorld, PostingReviewWorld, ServiceCatalogWorld, Slot,
    SlotLimits, SlotPre, SlotWorld, SubsidyWorld,
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
    /// Calls running at once for one market's share (a county with its stations, the city, a
    /// specialty market): what one market's plugin can take of the machine. Default: half the
    /// cores (at least 1), so a market whose plugin spins leaves the other half to the rest.
    pub max_calls_per_share: u32,
    /// How long a call may wait for a free slot before it is refused (`plugin_busy`).
    pub queue_wait: Duration,
    /// Wall-clock safety limit of replays and dry-runs, whose real bound is fuel: a multiple of
    /// the slot's deadline. Missing it means the host is overloaded, not that the plugin changed.
    pub safety_factor: u32,
    /// The total time a dry-run may take within one request (its fuel budget is ten calls').
    pub dry_run_wall: Duration,
    /// Use the pooling allocator (falls back to on-demand if the machine refuses it).
    pub pooling: bool,
    /// Per-slot limits overriding [`Slot::default_limits`].
    pub limits: HashMap<Slot, SlotLimits>,
}

impl Default for RuntimeSettings {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
        RuntimeSettings {
            max_component_bytes: 8 << 20,
            max_concurrent_calls: 32,
            max_calls_per_share: (cores / 2).max(1),
            queue_wait: Duration::from_secs(1),
            safety_factor: 20,
            dry_run_wall: Duration::from_secs(10),
            pooling: true,
            limits: HashMap::new(),
        }
    }
}

impl RuntimeSettings {
    /// Parse per-slot limit overrides: `{"matching": {"fuel": 1000000000, "deadline_ms": 1000,
    /// "memory_bytes": 67108864, "output_bytes": 8388608}}` (every field of a slot's limits).
    pub fn parse_limits(json: &str) -> Result<HashMap<Slot, SlotLimits>, String> {
        let limits: HashMap<Slot, SlotLimits> =
            serde_json::from_str(json).map_err(|e| format!("plugin limits: {e}"))?;
        match limits.iter().find(|(_, l)| {
            l.fuel == 0 || l.deadline_ms == 0 || l.memory_bytes < (1 << 20) || l.output_bytes == 0
        }) {
            Some((slot, _)) => Err(format!(
                "plugin limits for `{}`: fuel, deadline and output must be positive and memory at least 1 MiB",
                slot.as_str()
            )),
            None => Ok(limits),
        }
    }

    /// The limits of one call of `slot`: the override from the settings, else the slot's defaults.
    pub fn limits(&self, slot: Slot) -> SlotLimits {
        self.limits.get(&slot).copied().unwrap_or_else(|| slot.default_limits())
    }
}

/// What one call may spend, and what missing its deadline means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Fuel the call may burn (roughly, Wasm instructions).
    pub fuel: u64,
    /// Wall-clock time the call may take, enforced by epoch interruption (in 10 ms ticks).
    pub deadline: Duration,
    /// `true`: the deadline is only a safety net (replays, dry-runs, whose bound is fuel); missing
    /// it is [`PluginError::HostOverloaded`], never [`PluginError::Timeout`].
    pub safety_deadline: bool,
}

impl Budget {
    /// A live call: the slot's fuel and deadline.
    pub fn live(limits: &SlotLimits) -> Budget {
        Budget {
            fuel: limits.fuel,
            deadline: Duration::from_millis(limits.deadline_ms),
            safety_deadline: false,
        }
    }

    /// Re-running a recorded call: the fuel it used, and a wall-clock limit far beyond the live
    /// deadline, so the outcome cannot depend on how busy the host is. The fuel carries a small
    /// measuring margin ([`replay_margin`]): wasmtime checks fuel only at function entries and
    /// loop headers and reports an overshoot after the last check as 0 left, so without the
    /// margin "needed a little more" would look like "used exactly the recorded fuel". Any use
    /// beyond the recorded fuel is a failed replay (`Rules::replay`).
    pub fn replay(recorded_fuel: u64, limits: &SlotLimits, safety_factor: u32) -> Budget {
        Budget {
            fuel: recorded_fuel.saturating_add(replay_margin(recorded_fuel)),
            deadline: Duration::from_millis(
                limits.deadline_ms.saturating_mul(u64::from(safety_factor)),
            ),
            safety_deadline: true,
        }
    }

    /// Running a candidate on a recorded input: at most the slot's fuel (and what is left of a
    /// dry-run's total), with a safety deadline.
    pub fn trial(fuel: u64, deadline: Duration) -> Budget {
        Budget { fuel, deadline, safety_deadline: true }
    }
}

/// The measuring margin of a replay's fuel: 0.1 % of the recorded fuel, at least 10,000.
pub fn replay_margin(recorded_fuel: u64) -> u64 {
    (recorded_fuel / 1000).max(10_000)
}

/// A compiled plugin, ready to be instantiated for a call.
pub struct LoadedPlugin {
    /// sha256 (hex) of the component's bytes.
    pub hash: String,
    /// Size of the component, in bytes.
    pub size: usize,
    pre: SlotPre,
}

impl LoadedPlugin {
    /// The slot the component implements (detected when it was loaded).
    pub fn slot(&self) -> Slot {
        self.pre.slot()
    }
}

/// Who a call is for and under which configuration.
#[derive(Debug, Clone)]
pub struct CallContext {
    /// The market the call is made for, as the plugin's `host.tenant` import shows it.
    pub tenant: types::TenantInfo,
    /// The binding's configuration, JSON text.
    pub config: String,
}

/// A successful call: its output and what it cost.
#[derive(Debug, Clone, Serialize)]
pub struct Called<O> {
    /// What the plugin returned (checked against the slot's invariants).
    pub output: O,
    /// Fuel the call burnt.
    pub fuel_used: u64,
    /// How long the call took, in microseconds.
    pub duration_us: u64,
}

/// A call's outcome and what it cost, failed or not.
#[derive(Debug, Clone)]
pub struct Metered<O> {
    /// The output, or why the call failed.
    pub result: Result<O, PluginError>,
    /// Fuel the call burnt (0 when it failed before running).
    pub fuel_used: u64,
    /// How long it ran, in microseconds (0 when it failed before running).
    pub duration_us: u64,
}

/// A JSON call on its way to the slot world that reads it.
struct JsonCall<'a> {
    plugin: &'a LoadedPlugin,
    ctx: &'a CallContext,
    input: &'a serde_json::Value,
    budget: Budget,
}

impl<O> Metered<O> {
    /// The output with its cost, or the error (whose cost the caller no longer needs).
    pub fn into_called(self) -> Result<Called<O>, PluginError> {
        let Metered { result, fuel_used, duration_us } = self;
        result.map(|output| Called { output, fuel_used, duration_us })
    }
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
    /// Whether the pooling allocator is in use (else instances are allocated on demand).
    pub pooling: bool,
    /// Calls refused because their market's share stayed full past the queue bound.
    pub busy_refusals: u64,
}

/// The plugin runtime: one `wasmtime::Engine` per process, its compiled plugins, its admission
/// state and the epoch ticker that enforces deadlines. Share it as `Arc<Runtime>`.
pub struct Runtime {
    engine: Engine,
    linker: Linker<HostState>,
    cache_dir: Option<PathBuf>,
    settings: RuntimeSettings,
    pooling: bool,
    loaded: RwLock<HashMap<String, Arc<LoadedPlugin>>>,
    compiled: AtomicU64,
    cache_hits: AtomicU64,
    admission: Admission,
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
            admission: Admission::new(AdmissionLimits {
                global: settings.max_concurrent_calls,
                per_share: settings.max_calls_per_share,
                queue_wait: settings.queue_wait,
            }),
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

    /// The settings it was built with.
    pub fn settings(&self) -> &RuntimeSettings {
        &self.settings
    }

    /// Counters of compiling, caching and refusals since the process started.
    pub fn stats(&self) -> RuntimeStats {
        RuntimeStats {
            compiled: self.compiled.load(Ordering::Relaxed),
            cache_hits: self.cache_hits.load(Ordering::Relaxed),
            loaded: self.loaded.read().expect("lock").len() as u64,
            pooling: self.pooling,
            busy_refusals: self.admission.refused(),
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
        linker
            .define_unknown_imports_as_traps(&component)
            .map_err(|e| PluginError::Host(e.to_string()))?;
        let pre = linker
            .instantiate_pre(&component)
            .map_err(|e| PluginError::UnknownWorld(format!("{e:#}")))?;
        let mut found = SlotPre::detect(&pre);
        let pre = match found.len() {
            1 => found.pop().expect("one"),
            0 => {
                return Err(PluginError::UnknownWorld(
                    "its exports match none of the slot worlds".into(),
                ));
            }
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
                Err(e) => {
                    tracing::warn!(error = %e, path = %path.display(), "discarding unusable compiled plugin")
                }
            }
        }
        let component = Component::new(&self.engine, bytes)
            .map_err(|e| PluginError::InvalidWasm(format!("{e:#}")))?;
        self.compiled.fetch_add(1, Ordering::Relaxed);
        if let Some(Err(e)) = cached.map(|path| write_artifact(&component, &path)) {
            tracing::warn!(error = %e, "cannot cache compiled plugin");
        }
        Ok(component)
    }

    /// Call a plugin with a typed input under the slot's live limits. CPU-bound: call it from a
    /// blocking context.
    pub fn call<W: SlotWorld>(
        &self,
        plugin: &LoadedPlugin,
        ctx: &CallContext,
        input: &W::Input,
    ) -> Result<Called<W::Output>, PluginError> {
        let budget = Budget::live(&self.settings.limits(W::SLOT));
        self.metered::<W>(plugin, ctx, input, budget).into_called()
    }

    /// A call's outcome with what it cost, whether it succeeded or not.
    fn metered<W: SlotWorld>(
        &self,
        plugin: &LoadedPlugin,
        ctx: &CallContext,
        input: &W::Input,
        budget: Budget,
    ) -> Metered<W::Output> {
        let failed = |error| Metered { result: Err(error), fuel_used: 0, duration_us: 0 };
        let Some(pre) = W::unwrap(&plugin.pre) else {
            return failed(PluginError::Host(format!(
                "plugin implements {}, not {}",
                plugin.slot().as_str(),
                W::SLOT.as_str()
            )));
        };
        if let Err((field, message)) = W::check_input(input) {
            return failed(PluginError::InvalidInput { message, field: Some(field) });
        }
        let limits = self.settings.limits(W::SLOT);
        let mut store = match self.store(plugin, ctx, &limits, &budget) {
            Ok(store) => store,
            Err(e) => return failed(e),
        };
        let start = Instant::now();
        let result = W::run(pre, &mut store, input);
        let duration_us = start.elapsed().as_micros() as u64;
        let fuel_used = budget.fuel.saturating_sub(store.get_fuel().unwrap_or(0));
        let result = result
            .map_err(|e| classify(&e, store.data(), &budget, limits.output_bytes))
            .and_then(|output| {
                let size =
                    json_size(&output).map_err(|e| PluginError::InvalidOutput(e.to_string()))?;
                if size > limits.output_bytes {
                    return Err(PluginError::OutputTooLarge {
                        size: Some(size),
                        limit: limits.output_bytes,
                    });
                }
                let config: serde_json::Value =
                    serde_json::from_str(&ctx.config).unwrap_or(serde_json::Value::Null);
                W::check(input, &output, &config).map_err(PluginError::InvalidOutput)?;
                Ok(output)
            });
        Metered { result, fuel_used, duration_us }
    }

    /// Call with a JSON input and get a JSON output under the slot's live limits: the playground.
    pub fn call_json(
        &self,
        plugin: &LoadedPlugin,
        ctx: &CallContext,
        input: &serde_json::Value,
    ) -> Result<Called<serde_json::Value>, PluginError> {
        let budget = Budget::live(&self.settings.limits(plugin.slot()));
        self.metered_json(plugin, ctx, input, budget).into_called()
    }

    /// A JSON call under an explicit budget that also says what a failed call cost: replays
    /// (their budget is the recorded fuel) and dry-runs (whose budget counts every call).
    pub fn metered_json(
        &self,
        plugin: &LoadedPlugin,
        ctx: &CallContext,
        input: &serde_json::Value,
        budget: Budget,
    ) -> Metered<serde_json::Value> {
        let as_world = match plugin.slot() {
            Slot::Naming => Self::metered_json_as::<NamingWorld>,
            Slot::ServiceCatalog => Self::metered_json_as::<ServiceCatalogWorld>,
            Slot::PostingReview => Self::metered_json_as::<PostingReviewWorld>,
            Slot::Matching => Self::metered_json_as::<MatchingWorld>,
            Slot::Subsidy => Self::metered_json_as::<SubsidyWorld>,
            Slot::Evaluation => Self::metered_json_as::<EvaluationWorld>,
        };
        as_world(self, JsonCall { plugin, ctx, input, budget })
    }

    fn metered_json_as<W: SlotWorld>(&self, call: JsonCall<'_>) -> Metered<serde_json::Value> {
        let JsonCall { plugin, ctx, input, budget } = call;
        let input: W::Input = match serde_path_to_error::deserialize(input) {
            Ok(input) => input,
            Err(e) => {
                let path = e.path().to_string();
                let error = PluginError::InvalidInput {
                    message: e.into_inner().to_string(),
                    field: (path != ".").then_some(path),
                };
                return Metered { result: Err(error), fuel_used: 0, duration_us: 0 };
            }
        };
        let metered = self.metered::<W>(plugin, ctx, &input, budget);
        let result = metered.result.and_then(|output| {
            serde_json::to_value(&output).map_err(|e| PluginError::Host(e.to_string()))
        });
        Metered { result, fuel_used: metered.fuel_used, duration_us: metered.duration_us }
    }

    /// Run `f` on a blocking thread once `share` (the market the calls are for, see
    /// [`super::admission`]) has a free slot, so that no market takes more than its share, at most
    /// `max_concurrent_calls` plugin calls run at once, and async workers are never blocked.
    pub async fn blocking<R: Send + 'static>(
        self: &Arc<Self>,
        share: &str,
        f: impl FnOnce(&Runtime) -> R + Send + 'static,
    ) -> Result<R, PluginError> {
        let admitted = self.admission.admit(share).await?;
        let runtime = self.clone();
        let result = tokio::task::spawn_blocking(move || f(&runtime))
            .await
            .map_err(|e| PluginError::Host(format!("plugin call aborted: {e}")));
        drop(admitted);
        result
    }

    /// A fresh store for one call, with every limit set in this one place.
    fn store(
        &self,
        plugin: &LoadedPlugin,
        ctx: &CallContext,
        limits: &SlotLimits,
        budget: &Budget,
    ) -> Result<Store<HostState>, PluginError> {
        let state = HostState {
            limiter: MemoryCap { limit: limits.memory_bytes, denied: false },
            tenant: ctx.tenant.clone(),
            config: ctx.config.clone(),
            slot: plugin.slot(),
            plugin_hash: plugin.hash.clone(),
            log_lines: 0,
            last_error: None,
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limiter);
        store.set_fuel(budget.fuel).map_err(|e| PluginError::Host(e.to_string()))?;
        store.set_epoch_deadline(
            (budget.deadline.as_millis() as u64).div_ceil(EPOCH_TICK.as_millis() as u64) + 1,
        );
        store.epoch_deadline_trap();
        // Data the host copies out of the plugin (its output, a log line) is counted while it is
        // copied, and the copy stops past the output cap: a plugin cannot make the host allocate
        // more than that, however large the list or string it returns.
        store.set_hostcall_fuel(limits.output_bytes);
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
    // The same decision on every CPU of a fleet: NaNs come out canonical and relaxed-SIMD
    // instructions take their deterministic semantics (docs/plugins.md, "Determinism").
    config.cranelift_nan_canonicalization(true).relaxed_simd_deterministic(true);
    if settings.pooling {
        let n = settings.max_concurrent_calls.max(1);
        let max_memory =
            Slot::ALL.iter().map(|s| settings.limits(*s).memory_bytes).max().unwrap_or(64 << 20);
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
            Err(e) => {
                tracing::warn!(error = %e, "pooling allocator unavailable; using on-demand allocation")
            }
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

/// What wasmtime says when a copy out of the guest passed the store's hostcall fuel (its error
/// type is private, so its message is what there is to match).
const COPY_REFUSED: &str = "fuel allocated for hostcalls has been exhausted";

/// Map a failed call to its error: the memory cap first (a denied allocation usually surfaces
/// as a trap in the guest's allocator), then the kind of trap. A trap carries the last error the
/// plugin logged (the plugin kit logs its panic message there).
fn classify(
    err: &wasmtime::Error,
    state: &HostState,
    budget: &Budget,
    output_limit: usize,
) -> PluginError {
    let error = if state.limiter.denied {
        PluginError::Memory
    } else {
        match err.downcast_ref::<Trap>() {
            Some(Trap::OutOfFuel) => PluginError::FuelExhausted,
            Some(Trap::Interrupt) if budget.safety_deadline => PluginError::HostOverloaded,
            Some(Trap::Interrupt) => PluginError::Timeout,
            _ if format!("{err:#}").contains(COPY_REFUSED) => {
                PluginError::OutputTooLarge { size: None, limit: output_limit }
            }
            Some(trap) => PluginError::Trap(with_logged(trap.to_string(), state)),
            None => PluginError::Trap(with_logged(format!("{:#}", err.root_cause()), state)),
        }
    };
    tracing::warn!(tenant = %state.tenant.code, slot = state.slot.as_str(), plugin = %state.plugin_hash, code = error.code(), error = %err, "plugin call failed");
    error
}

fn with_logged(message: String, state: &HostState) -> String {
    match &state.last_error {
        Some(logged) => format!("{message}; the plugin logged: {logged}"),
        None => message,
    }
}

/// The data of one call's store: what the host imports may read, and the memory cap.
pub struct HostState {
    limiter: MemoryCap,
    tenant: types::TenantInfo,
    config: String,
    slot: Slot,
    plugin_hash: String,
    log_lines: u32,
    /// The last error-level line the plugin logged, shown with a trap (a panic's message).
    last_error: Option<String>,
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
        if matches!(level, host::LogLevel::Error) {
            self.last_error = Some(message.clone());
        }
        let (tenant, slot, plugin) =
            (&self.tenant.code, self.slot.as_str(), &self.plugin_hash[..12]);
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
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allow = desired <= self.limit;
        self.denied |= !allow;
        Ok(allow)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
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
        let limits = RuntimeSettings::parse_limits(
            r#"{"matching": {"fuel": 5, "deadline_ms": 100, "memory_bytes": 2097152, "output_bytes": 10}}"#,
        )
        .unwrap();
        assert_eq!(limits[&Slot::Matching].deadline_ms, 100);
        assert!(RuntimeSettings::parse_limits(r#"{"matching": {"fuel": 0, "deadline_ms": 100, "memory_bytes": 2097152, "output_bytes": 10}}"#).is_err());
        assert!(
            RuntimeSettings::parse_limits(r#"{"matchmaking": {}}"#)
                .unwrap_err()
                .contains("matchmaking")
        );
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
        assert_eq!(
            check_header(&[0; 200], 100),
            Err(PluginError::TooLarge { size: 200, limit: 100 })
        );
    }
}
