//! Reading tenant definition files (`tenants/*.toml`, one market per file).
//!
//! Fields are read one by one rather than through a derived deserializer so that every problem
//! (a missing field, a wrong type, an unknown key, an invalid value) is reported with the file
//! and the field, and all problems of a file are reported at once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{DefinitionError, GeoPoint, Tenant, TenantKind, TenantStatus};
use crate::plugins::Slot;

/// A tenant together with the file it came from and the plugins the file names for it.
#[derive(Debug, Clone)]
pub struct SourcedTenant {
    /// The file the tenant came from (its path as given), for error messages.
    pub source: String,
    /// The tenant the file defines.
    pub tenant: Tenant,
    /// Its `[plugins]` entries, in file order.
    pub plugins: Vec<PluginRef>,
}

/// A `[plugins]` entry: `slot = "plugin-name"` or `slot = { plugin = "…", config = { … } }`.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginRef {
    /// The slot the entry binds.
    pub slot: Slot,
    /// The plugin's file name without `.wasm` in the plugins directory.
    pub plugin: String,
    /// The binding's configuration: a JSON object (`{}` when the file gives none).
    pub config: serde_json::Value,
}

/// Read every `*.toml` file of a directory, in file-name order.
///
/// Returns the tenants that parsed, or every error found in any file.
pub fn read_dir(dir: &Path) -> Result<Vec<SourcedTenant>, Vec<DefinitionError>> {
    let paths = toml_files(dir).map_err(|e| vec![e])?;
    let mut tenants = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let source = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse(&source, &text) {
                Ok((tenant, plugins)) => tenants.push(SourcedTenant { source, tenant, plugins }),
                Err(mut errs) => errors.append(&mut errs),
            },
            Err(e) => errors.push(DefinitionError::new(
                source,
                None,
                "无法读取文件",
                &format!("cannot read file: {e}"),
            )),
        }
    }
    if errors.is_empty() { Ok(tenants) } else { Err(errors) }
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, DefinitionError> {
    let source = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        DefinitionError::new(
            &source,
            None,
            "无法读取租户目录",
            &format!("cannot read the tenants directory: {e}"),
        )
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Parse one definition. `source` names it in errors.
pub fn parse(source: &str, text: &str) -> Result<(Tenant, Vec<PluginRef>), Vec<DefinitionError>> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        vec![DefinitionError::new(
            source,
            None,
            "TOML 格式错误",
            &format!("not valid TOML: {}", e.message()),
        )]
    })?;
    let mut fields = Fields { source, table, errors: Vec::new(), seen: BTreeSet::new() };
    let tenant = fields.tenant();
    let plugins = fields.plugins();
    fields.reject_unknown();
    match tenant {
        Some(t) if fields.errors.is_empty() => Ok((t, plugins)),
        _ => Err(fields.errors),
    }
}

/// The keys a definition may have.
const KNOWN_KEYS: &[&str] = &[
    "code",
    "kind",
    "parent",
    "name",
    "region_code",
    "address",
    "location",
    "opening_hours",
    "hotline",
    "complaint_channel",
    "guide",
    "status",
    "operator",
    "plugins",
];

struct Fields<'a> {
    source: &'a str,
    table: toml::Table,
    errors: Vec<DefinitionError>,
    seen: BTreeSet<String>,
}

impl Fields<'_> {
    fn tenant(&mut self) -> Option<Tenant> {
        let code = self.required("code");
        let kind = self.kind();
        let parent = self.optional("parent");
        let name = self.required("name");
        let region_code = self.required("region_code");
        let address = self.required("address");
        let location = self.location();
        let opening_hours = self.required("opening_hours");
        let hotline = self.required("hotline");
        let complaint_channel = self.required("complaint_channel");
        let guide = self.optional("guide").unwrap_or_default();
        let status = self.status();
        let operator = self.optional("operator");
        Some(Tenant {
            code: code?,
            kind: kind?,
            parent,
            name: name?,
            region_code: region_code?,
            address: address?,
            location,
            opening_hours: opening_hours?,
            hotline: hotline?,
            complaint_channel: complaint_channel?,
            guide,
            status: status?,
            operator,
        })
    }

    fn error(&mut self, field: &str, zh: &str, en: &str) {
        self.errors.push(DefinitionError::new(self.source, Some(field), zh, en));
    }

    fn required(&mut self, key: &str) -> Option<String> {
        self.seen.insert(key.to_string());
        match self.table.get(key) {
            None => {
                self.error(key, "缺少必填字段", "missing required field");
                None
            }
            Some(toml::Value::String(s)) if s.trim().is_empty() => {
                self.error(key, "不能为空", "must not be empty");
                None
            }
            Some(toml::Value::String(s)) => Some(s.trim().to_string()),
            Some(other) => {
                let en = format!("must be a string, found {}", other.type_str());
                self.error(key, "必须是字符串", &en);
                None
            }
        }
    }

    fn optional(&mut self, key: &str) -> Option<String> {
        if self.table.contains_key(key) { self.required(key) } else { None }
    }

    fn kind(&mut self) -> Option<TenantKind> {
        let raw = self.required("kind")?;
        let kind = TenantKind::parse(&raw);
        if kind.is_none() {
            let en =
                format!("unknown kind `{raw}`: expected one of city, county, specialty, station");
            self.error("kind", "市场类型无效", &en);
        }
        kind
    }

    fn status(&mut self) -> Option<TenantStatus> {
        let raw = self.required("status")?;
        let status = TenantStatus::parse(&raw);
        if status.is_none() {
            let en = format!(
                "unknown status `{raw}`: expected one of active, preparing, suspended, withdrawn"
            );
            self.error("status", "状态无效", &en);
        }
        status
    }

    fn location(&mut self) -> Option<GeoPoint> {
        self.seen.insert("location".into());
        let value = self.table.get("location")?.clone();
        let point = value.as_table().and_then(|t| {
            let num = |k: &str| {
                t.get(k).and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
            };
            Some(GeoPoint { lon: num("lon")?, lat: num("lat")? })
        });
        match point {
            Some(p) if (-180.0..=180.0).contains(&p.lon) && (-90.0..=90.0).contains(&p.lat) => {
                Some(p)
            }
            _ => {
                self.error(
                    "location",
                    "坐标格式应为 { lon = 经度, lat = 纬度 }",
                    "must be { lon = <degrees>, lat = <degrees> } within range",
                );
                None
            }
        }
    }

    fn plugins(&mut self) -> Vec<PluginRef> {
        self.seen.insert("plugins".into());
        let Some(value) = self.table.get("plugins").cloned() else { return Vec::new() };
        let Some(table) = value.as_table() else {
            self.error(
                "plugins",
                "应为表,如 [plugins] naming = \"city_naming\"",
                "must be a table, e.g. [plugins] naming = \"city_naming\"",
            );
            return Vec::new();
        };
        let mut refs = Vec::new();
        for (key, entry) in table {
            let field = format!("plugins.{key}");
            let Some(slot) = Slot::parse(key) else {
                let en = format!(
                    "unknown slot `{key}`: expected naming, service-catalog, posting-review, matching, subsidy or evaluation"
                );
                self.error(&field, "未知的插件槽位", &en);
                continue;
            };
            match plugin_entry(entry) {
                Some((plugin, config)) => refs.push(PluginRef { slot, plugin, config }),
                None => self.error(
                    &field,
                    "应为插件名,或 { plugin = \"…\", config = { … } }",
                    "must be a plugin name or { plugin = \"…\", config = { … } }",
                ),
            }
        }
        refs
    }

    fn reject_unknown(&mut self) {
        let unknown: Vec<String> =
            self.table.keys().filter(|k| !KNOWN_KEYS.contains(&k.as_str())).cloned().collect();
        for key in unknown {
            let en = format!("unknown field (known fields: {})", KNOWN_KEYS.join(", "));
            self.error(&key, "未知字段", &en);
        }
    }
}

/// `"name"` or `{ plugin = "name", config = { … } }` (config defaults to `{}`).
fn plugin_entry(entry: &toml::Value) -> Option<(String, serde_json::Value)> {
    match entry {
        toml::Value::String(name) if !name.trim().is_empty() => {
            Some((name.trim().to_string(), serde_json::json!({})))
        }
        toml::Value::Table(t) => {
            let name = t.get("plugin")?.as_str()?.trim().to_string();
            let config = match t.get("config") {
                None => serde_json::json!({}),
                Some(c @ toml::Value::Table(_)) => serde_json::to_value(c).ok()?,
                Some(_) => return None,
            };
            let known = t.keys().all(|k| k == "plugin" || k == "config");
            (known && !name.is_empty()).then_some((name, config))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
code = "lankao"
kind = "county"
parent = "kaifeng"
name = "兰考县零工市场"
region_code = "410225"
address = "兰考县中山北街"
location = { lon = 114.82, lat = 34.82 }
opening_hours = "每日 06:00-18:00"
hotline = "0371-12345678"
complaint_channel = "12333"
status = "active"
"#;

    #[test]
    fn a_complete_definition_parses() {
        let (t, plugins) = parse("lankao.toml", GOOD).unwrap();
        assert!(plugins.is_empty());
        assert_eq!(t.kind, TenantKind::County);
        assert_eq!(t.parent.as_deref(), Some("kaifeng"));
        assert_eq!(t.location, Some(GeoPoint { lon: 114.82, lat: 34.82 }));
    }

    #[test]
    fn every_missing_field_is_named() {
        let text =
            GOOD.replace("hotline = \"0371-12345678\"\n", "").replace("status = \"active\"\n", "");
        let errs = parse("lankao.toml", &text).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.clone().unwrap()).collect();
        assert_eq!(fields, ["hotline", "status"]);
        assert!(errs[0].to_string().starts_with("lankao.toml: hotline: 缺少必填字段"));
    }

    #[test]
    fn wrong_types_unknown_keys_and_bad_values_are_reported() {
        let text = GOOD
            .replace("kind = \"county\"", "kind = \"province\"")
            .replace("hotline = \"0371-12345678\"", "hotline = 12345")
            + "colour = \"red\"\n";
        let errs = parse("x.toml", &text).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.clone().unwrap()).collect();
        assert_eq!(fields, ["kind", "hotline", "colour"]);
        assert!(errs[0].message.contains("province"));
        assert!(errs[1].message.contains("found integer"));
    }

    #[test]
    fn plugins_are_named_by_slot_with_optional_config() {
        let text = format!(
            "{GOOD}\n[plugins]\nnaming = \"city_naming\"\nsubsidy = {{ plugin = \"lankao_subsidy\", config = {{ cap_yuan = 5000 }} }}\n"
        );
        let (_, plugins) = parse("lankao.toml", &text).unwrap();
        assert_eq!(plugins.len(), 2);
        assert_eq!((plugins[0].slot, plugins[0].plugin.as_str()), (Slot::Naming, "city_naming"));
        assert_eq!(plugins[1].config, serde_json::json!({"cap_yuan": 5000}));
        let bad = format!(
            "{GOOD}\n[plugins]\nmatchmaking = \"x\"\nsubsidy = {{ plugin = \"y\", colour = 1 }}\n"
        );
        let fields: Vec<_> =
            parse("lankao.toml", &bad).unwrap_err().into_iter().map(|e| e.field.unwrap()).collect();
        assert_eq!(fields, ["plugins.matchmaking", "plugins.subsidy"]);
    }

    #[test]
    fn broken_toml_names_the_file() {
        let errs = parse("bad.toml", "code = ").unwrap_err();
        assert_eq!(errs[0].source, "bad.toml");
        assert!(errs[0].message.contains("TOML"));
    }
}
