//! Seeding a fresh install from files: the plugins in the plugins directory, the tenant tree in
//! `tenants/`, and the plugins each tenant file names.
//!
//! Names are checked by the naming plugins the files name (each market's name by the naming
//! plugin that governs its parent; the city's by its own), so the naming standard lives in one
//! place: the `naming` slot.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

use super::{Activation, Rules, tenant_info};
use crate::plugins::bindings::naming::NameRequest;
use crate::plugins::slots::NamingWorld;
use crate::plugins::{CallContext, LoadedPlugin, Runtime};
use crate::regions;
use crate::tenants::files::{self, SourcedTenant};
use crate::tenants::{DefinitionError, Tenant, TenantKind, render_errors, tree};

/// A plugin file of the plugins directory, loaded.
pub struct DirPlugin {
    /// Where the file is.
    pub path: PathBuf,
    /// The plugin loaded from it (its hash and slot).
    pub plugin: Arc<LoadedPlugin>,
}

/// A checked set of files: the tree (parents first), the definitions, the plugins by name.
pub struct CheckedFiles {
    /// Every tenant of the files, parents before children, as it will be stored.
    pub tree: Vec<Tenant>,
    /// Each file's definition, with the plugins it names.
    pub defs: Vec<SourcedTenant>,
    /// The plugins directory's plugins, by file stem.
    pub plugins: HashMap<String, DirPlugin>,
}

/// Load every `*.wasm` of `dir`, named by file stem. Any file that is not a valid plugin fails
/// the whole load, naming the file.
pub async fn load_plugin_dir(
    runtime: &Arc<Runtime>,
    dir: &Path,
) -> anyhow::Result<HashMap<String, DirPlugin>> {
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "cannot read the plugins directory {} (build the plugins first: ./dev builds them)",
            dir.display()
        )
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .collect();
    paths.sort();
    let mut plugins = HashMap::new();
    for path in paths {
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let plugin = runtime
            .blocking(super::COMPILE_SHARE, move |rt| rt.load(&bytes))
            .await?
            .with_context(|| format!("{} is not a usable plugin", path.display()))?;
        let name = path.file_stem().expect("a file name").to_string_lossy().to_string();
        plugins.insert(name, DirPlugin { path, plugin });
    }
    Ok(plugins)
}

/// Read and check the tenant files against the plugins of `plugins_dir`, touching no database.
pub async fn check_files(
    runtime: &Arc<Runtime>,
    tenants_dir: &Path,
    plugins_dir: &Path,
) -> anyhow::Result<Result<CheckedFiles, Vec<DefinitionError>>> {
    let plugins = load_plugin_dir(runtime, plugins_dir).await?;
    let defs = match files::read_dir(tenants_dir) {
        Ok(defs) => defs,
        Err(errors) => return Ok(Err(errors)),
    };
    let mut errors = plugin_ref_errors(&defs, &plugins);
    let verdicts = naming_verdicts(runtime, &defs, &plugins).await?;
    match tree::check(&defs, &|d| verdicts.get(&d.tenant.code).cloned().unwrap_or(Ok(()))) {
        Ok(tree) if errors.is_empty() => Ok(Ok(CheckedFiles { tree, defs, plugins })),
        Ok(_) => Ok(Err(errors)),
        Err(mut tree_errors) => {
            errors.append(&mut tree_errors);
            Ok(Err(errors))
        }
    }
}

/// Check the files, then store the plugins, the tree and each tenant's file-named plugins (for
/// slots the tenant has no binding for yet). Nothing is stored unless everything checks.
pub async fn load_files(
    rules: &Rules,
    tenants_dir: &Path,
    plugins_dir: &Path,
) -> anyhow::Result<Vec<Tenant>> {
    let checked = check_files(rules.runtime(), tenants_dir, plugins_dir)
        .await?
        .map_err(|errors| anyhow::anyhow!(render_errors(&errors)))?;
    let mut hashes = HashMap::new();
    for (name, p) in &checked.plugins {
        let bytes = std::fs::read(&p.path)?;
        let (record, _) = rules
            .register(bytes, name, "system:plugins-dir")
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        hashes.insert(name.clone(), record.hash);
    }
    rules.store.upsert_tenants(&checked.tree).await?;
    for def in &checked.defs {
        let bound = rules.store.tenant_bindings(&def.tenant.code).await?;
        for r in def.plugins.iter().filter(|r| !bound.iter().any(|b| b.slot == r.slot.as_str())) {
            rules
                .bind(
                    &def.tenant,
                    r.slot,
                    Activation {
                        plugin: &hashes[&r.plugin],
                        config: &r.config,
                        effective_from: None,
                        note: Some("tenants file"),
                    },
                    "system:tenants-file",
                )
                .await
                .map_err(|e| anyhow::anyhow!("{}: plugins.{}: {e}", def.source, r.slot.as_str()))?;
        }
    }
    Ok(checked.tree)
}

/// Every `[plugins]` entry names a plugin of the directory that implements that slot.
fn plugin_ref_errors(
    defs: &[SourcedTenant],
    plugins: &HashMap<String, DirPlugin>,
) -> Vec<DefinitionError> {
    let mut errors = Vec::new();
    for def in defs {
        for r in &def.plugins {
            let field = format!("plugins.{}", r.slot.as_str());
            match plugins.get(&r.plugin) {
                None => {
                    let en = format!("no plugin `{}` in the plugins directory", r.plugin);
                    errors.push(DefinitionError::new(
                        &def.source,
                        Some(&field),
                        &format!("插件目录中没有 `{}`", r.plugin),
                        &en,
                    ));
                }
                Some(p) if p.plugin.slot() != r.slot => {
                    let en =
                        format!("plugin `{}` implements `{}`", r.plugin, p.plugin.slot().as_str());
                    errors.push(DefinitionError::new(
                        &def.source,
                        Some(&field),
                        "该插件不实现这个槽位",
                        &en,
                    ));
                }
                Some(_) => {}
            }
        }
    }
    errors
}

/// Each definition's name, judged by the naming plugin of the nearest market at or above its
/// parent (the city: its own) that names one in its file.
async fn naming_verdicts(
    runtime: &Arc<Runtime>,
    defs: &[SourcedTenant],
    plugins: &HashMap<String, DirPlugin>,
) -> anyhow::Result<HashMap<String, Result<(), String>>> {
    let by_code: HashMap<&str, &SourcedTenant> =
        defs.iter().map(|d| (d.tenant.code.as_str(), d)).collect();
    let mut verdicts = HashMap::new();
    for def in defs {
        let governing = governing_naming(def, &by_code);
        let verdict = match governing.and_then(|(gov, name)| plugins.get(name).map(|p| (gov, p))) {
            None => Err(crate::error::bilingual(
                "没有适用的命名规则插件",
                "no naming plugin governs this market",
            )),
            Some((gov, p)) => {
                let ctx = CallContext {
                    tenant: tenant_info(&gov.tenant),
                    config: gov
                        .plugins
                        .iter()
                        .find(|r| r.slot == crate::plugins::Slot::Naming)
                        .map(|r| r.config.to_string())
                        .unwrap_or_else(|| "{}".into()),
                };
                let request = name_request(
                    &def.tenant,
                    def.tenant
                        .parent
                        .as_deref()
                        .and_then(|p| by_code.get(p))
                        .map(|p| p.tenant.name.clone()),
                );
                let plugin = p.plugin.clone();
                let called = runtime
                    .blocking(&gov.tenant.code, move |rt| {
                        rt.call::<NamingWorld>(&plugin, &ctx, &request)
                    })
                    .await?;
                match called {
                    Ok(c) if c.output.accepted => Ok(()),
                    Ok(c) => Err(c
                        .output
                        .reasons
                        .iter()
                        .map(|r| format!("{}({})", r.message, r.code))
                        .collect::<Vec<_>>()
                        .join(";")),
                    Err(e) => Err(format!("命名规则插件出错 / the naming plugin failed: {e}")),
                }
            }
        };
        verdicts.insert(def.tenant.code.clone(), verdict);
    }
    Ok(verdicts)
}

/// The nearest definition at or above `def`'s parent (the city: itself) with a naming plugin,
/// and that plugin's name. Stops on loops (the tree check reports them).
fn governing_naming<'a>(
    def: &'a SourcedTenant,
    by_code: &HashMap<&str, &'a SourcedTenant>,
) -> Option<(&'a SourcedTenant, &'a str)> {
    let mut current = match &def.tenant.parent {
        None => Some(def),
        Some(p) => by_code.get(p.as_str()).copied(),
    };
    let mut steps = 0;
    while let Some(d) = current {
        if let Some(r) = d.plugins.iter().find(|r| r.slot == crate::plugins::Slot::Naming) {
            return Some((d, r.plugin.as_str()));
        }
        steps += 1;
        current = d
            .tenant
            .parent
            .as_deref()
            .and_then(|p| by_code.get(p).copied())
            .filter(|_| steps <= by_code.len());
    }
    None
}

/// What the naming plugin is asked about a market.
pub fn name_request(t: &Tenant, parent_name: Option<String>) -> NameRequest {
    use crate::plugins::bindings::types::TenantKind as K;
    let kind = match t.kind {
        TenantKind::City => K::City,
        TenantKind::County => K::County,
        TenantKind::Specialty => K::Specialty,
        TenantKind::Station => K::Station,
    };
    let region_name = regions::find(&t.region_code)
        .filter(|_| matches!(t.kind, TenantKind::City | TenantKind::County))
        .map(|r| r.name.to_string());
    NameRequest { kind, name: t.name.clone(), region_name, parent_name }
}
