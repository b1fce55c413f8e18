//! Reading a plugin's configuration leniently: a missing, mistyped or out-of-range value keeps
//! its default (a bureau's typo must not stop the slot), and what was ignored can be told.
//!
//! [`config()`](crate::config) gives the text; plugins parse it in plain functions that take the
//! text, so their tests can give any.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The text parsed as `T`, or `T::default()` when it does not parse.
pub fn parse_or_default<T: DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

/// The text as a JSON value; `Null` when it is not JSON (every lookup in it then misses).
pub fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// A whole number ≥ 0 at `key` (amounts in fen, counts), or `default`.
pub fn whole(v: &Value, key: &str, default: i64) -> i64 {
    v.get(key).and_then(Value::as_i64).filter(|x| *x >= 0).unwrap_or(default)
}

/// A number at `key` within `min..=1000`, or `default`. The upper bound keeps sums of weights
/// finite.
pub fn bounded(v: &Value, key: &str, default: f32, min: f32) -> f32 {
    let x = v.get(key).and_then(Value::as_f64).map(|x| x as f32);
    x.filter(|x| (min..=1000.0).contains(x)).unwrap_or(default)
}

/// The config text as a JSON object; anything else becomes an empty object and a warning.
pub fn config_object(text: &str, warnings: &mut Vec<String>) -> Map<String, Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(obj)) => obj,
        _ => {
            warnings.push("config is not a JSON object; using defaults".into());
            Map::new()
        }
    }
}

/// A finite number > 0 under `key`, if there is one (a bad value is warned about).
pub fn positive(obj: &Map<String, Value>, key: &str, warnings: &mut Vec<String>) -> Option<f64> {
    let v = obj.get(key)?;
    let n = v.as_f64().filter(|n| n.is_finite() && *n > 0.0);
    if n.is_none() {
        warnings.push(format!("{key}: expected a positive number, got {v}; using the default"));
    }
    n
}

/// The non-empty strings in the list under `key` (other entries are warned about).
pub fn string_list(obj: &Map<String, Value>, key: &str, warnings: &mut Vec<String>) -> Vec<String> {
    let Some(v) = obj.get(key) else { return Vec::new() };
    let Some(items) = v.as_array() else {
        warnings.push(format!("{key}: expected a list of strings; ignored"));
        return Vec::new();
    };
    let words: Vec<String> = items
        .iter()
        .filter_map(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if words.len() != items.len() {
        warnings.push(format!("{key}: entries that are not non-empty strings were ignored"));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Config {
        rate: i64,
    }

    #[test]
    fn text_that_does_not_parse_gives_the_default() {
        assert_eq!(parse_or_default::<Config>("{oops"), Config::default());
        assert_eq!(parse_or_default::<Config>(r#"{"rate": 3}"#), Config { rate: 3 });
        assert_eq!(value("{oops"), Value::Null);
    }

    #[test]
    fn numbers_out_of_range_keep_their_default() {
        let v = value(r#"{"a": 5, "b": -1, "c": "7", "d": 2.5, "e": 1e9}"#);
        assert_eq!((whole(&v, "a", 9), whole(&v, "b", 9), whole(&v, "c", 9)), (5, 9, 9));
        assert_eq!((whole(&v, "d", 9), whole(&Value::Null, "a", 9)), (9, 9));
        assert_eq!((bounded(&v, "d", 1.0, 0.0), bounded(&v, "e", 1.0, 0.0)), (2.5, 1.0));
        assert_eq!(bounded(&v, "b", 1.0, 0.0), 1.0);
    }

    #[test]
    fn an_object_is_expected_and_bad_entries_are_told() {
        let mut warnings = Vec::new();
        assert!(config_object("[1]", &mut warnings).is_empty());
        let obj = config_object(r#"{"n": -2, "words": ["a", "", 3]}"#, &mut warnings);
        assert_eq!(positive(&obj, "n", &mut warnings), None);
        assert_eq!(string_list(&obj, "words", &mut warnings), ["a"]);
        assert_eq!(warnings.len(), 3);
    }
}
