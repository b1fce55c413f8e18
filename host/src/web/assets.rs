//! Static assets, embedded in the binary: the site's own stylesheet and script, and the vendored
//! libraries (`host/assets/vendor/`, with their licences and a manifest of versions and sha256).
//!
//! Each is served under a name that carries a hash of its content (`htmx.min.3f2a….js`), so a
//! browser may keep it for a year: a changed file gets a new name.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::PageError;
use crate::error::ApiError;

/// One embedded file.
pub struct Asset {
    /// Its plain name (`htmx.min.js`), which templates ask for.
    pub name: &'static str,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its bytes.
    pub bytes: &'static [u8],
}

/// Every asset the pages use.
pub const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../assets/app.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/app.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../../assets/favicon.svg"),
    },
    Asset {
        name: "charts.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/charts.js"),
    },
    Asset {
        name: "htmx.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/vendor/htmx-2.0.11/htmx.min.js"),
    },
    Asset {
        name: "echarts.simple.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/vendor/echarts-6.1.0/echarts.simple.min.js"),
    },
];

/// Each asset's served file name, with the content hash before the extension.
static HASHED: LazyLock<Vec<(String, &'static Asset)>> =
    LazyLock::new(|| ASSETS.iter().map(|a| (hashed_name(a), a)).collect());

fn hashed_name(asset: &Asset) -> String {
    let hash = hex::encode(Sha256::digest(asset.bytes));
    let (stem, ext) = asset.name.rsplit_once('.').unwrap_or((asset.name, ""));
    format!("{stem}.{}.{ext}", &hash[..12])
}

/// The URL of asset `name` (a name not in [`ASSETS`] is a programming error: it panics in
/// tests, which render every page).
pub fn url(name: &str) -> String {
    let (file, _) =
        HASHED.iter().find(|(_, a)| a.name == name).unwrap_or_else(|| panic!("no asset {name}"));
    format!("/assets/{file}")
}

/// `GET /assets/{file}`: an embedded asset, cacheable for a year.
pub async fn serve(Path(file): Path<String>) -> Result<Response, PageError> {
    let (_, asset) = HASHED
        .iter()
        .find(|(f, _)| *f == file)
        .ok_or_else(|| ApiError::not_found("asset_not_found", "没有这个文件", "no such asset"))?;
    let headers = [
        (CONTENT_TYPE, asset.content_type),
        (CACHE_CONTROL, "public, max-age=31536000, immutable"),
    ];
    Ok((headers, asset.bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vendored files are the ones the manifest names, byte for byte.
    #[test]
    fn the_vendored_files_match_their_manifest() {
        let manifest = include_str!("../../assets/vendor/MANIFEST.tsv");
        let rows: Vec<Vec<&str>> = manifest
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| l.split('\t').collect())
            .collect();
        assert_eq!(rows.len(), 2);
        for row in rows {
            let [name, version, file, sha256] = row[..] else { panic!("bad row {row:?}") };
            let path = format!("{}/assets/vendor/{file}", env!("CARGO_MANIFEST_DIR"));
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(hex::encode(Sha256::digest(&bytes)), sha256, "{name} {version}");
            let embedded = ASSETS.iter().find(|a| file.ends_with(a.name)).unwrap();
            assert_eq!(embedded.bytes, &bytes[..], "{name} is embedded as vendored");
            assert!(std::path::Path::new(&path).with_file_name("LICENSE").exists());
        }
    }

    #[test]
    fn served_names_carry_the_content_hash() {
        let u = url("htmx.min.js");
        assert!(u.starts_with("/assets/htmx.min.") && u.ends_with(".js"), "{u}");
        assert_eq!(u.len(), "/assets/htmx.min.".len() + 12 + ".js".len());
    }
}
