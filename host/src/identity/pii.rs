//! Personal information at rest: ID numbers and phone numbers are stored encrypted (AEAD,
//! XChaCha20-Poly1305), found through a keyed blind index (HMAC-SHA256), and masked in output.
//!
//! Keys: `GIGMARKET_PII_KEYS` lists encryption keys as `id:base64(32 bytes)`, comma-separated,
//! the current one first; older ones stay listed until every row is re-encrypted (see
//! docs/operations.md, "Rotating the PII keys"). `GIGMARKET_PII_INDEX_KEY` (base64, 32 bytes) keys
//! the blind index; it does not rotate with the encryption keys, or lookups would break.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// The keys that protect personal information.
#[derive(Clone)]
pub struct PiiKeys {
    /// Encryption keys, current first.
    keys: Vec<(String, XChaCha20Poly1305)>,
    index_key: [u8; 32],
}

impl std::fmt::Debug for PiiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        write!(f, "PiiKeys {{ ids: {ids:?}, .. }}")
    }
}

fn decode_key(b64: &str, what: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = B64.decode(b64.trim()).map_err(|e| anyhow::anyhow!("{what} is not base64: {e}"))?;
    bytes.try_into().map_err(|_| anyhow::anyhow!("{what} must be 32 bytes"))
}

impl PiiKeys {
    /// Parse `id:base64,id:base64` (current first) and the index key.
    pub fn parse(keys: &str, index_key: &str) -> anyhow::Result<PiiKeys> {
        let mut parsed = Vec::new();
        for entry in keys.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (id, b64) = entry
                .split_once(':')
                .ok_or_else(|| anyhow::anyhow!("PII key `{entry}` must be id:base64"))?;
            anyhow::ensure!(
                !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()),
                "PII key id `{id}` must be ASCII letters and digits"
            );
            parsed.push((
                id.to_string(),
                XChaCha20Poly1305::new(&decode_key(b64, "a PII key")?.into()),
            ));
        }
        anyhow::ensure!(!parsed.is_empty(), "no PII encryption key configured");
        Ok(PiiKeys { keys: parsed, index_key: decode_key(index_key, "the PII index key")? })
    }

    /// Fresh random keys (demo and tests only), in the text form [`PiiKeys::parse`] reads.
    pub fn generate() -> (String, String) {
        let mut key = [0u8; 32];
        let mut index = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        rand::thread_rng().fill_bytes(&mut index);
        (format!("k1:{}", B64.encode(key)), B64.encode(index))
    }

    /// `id:base64(nonce ‖ ciphertext)` under the current key.
    pub fn encrypt(&self, plaintext: &str) -> String {
        let (id, cipher) = &self.keys[0];
        let mut nonce = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(&XNonce::from(nonce), plaintext.as_bytes())
            .expect("encryption of a short string cannot fail");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        format!("{id}:{}", B64.encode(out))
    }

    /// Open a value sealed by [`PiiKeys::encrypt`] under any listed key.
    pub fn decrypt(&self, stored: &str) -> anyhow::Result<String> {
        let (id, b64) =
            stored.split_once(':').ok_or_else(|| anyhow::anyhow!("not an encrypted value"))?;
        let (_, cipher) = self
            .keys
            .iter()
            .find(|(k, _)| k == id)
            .ok_or_else(|| anyhow::anyhow!("PII key `{id}` is not configured"))?;
        let bytes = B64.decode(b64)?;
        anyhow::ensure!(bytes.len() > 24, "encrypted value too short");
        let nonce: [u8; 24] = bytes[..24].try_into()?;
        let plain = cipher
            .decrypt(&XNonce::from(nonce), &bytes[24..])
            .map_err(|_| anyhow::anyhow!("PII value fails authentication"))?;
        Ok(String::from_utf8(plain)?)
    }

    /// Whether a stored value is sealed under the current key (rotation progress).
    pub fn is_current(&self, stored: &str) -> bool {
        stored.split_once(':').is_some_and(|(id, _)| id == self.keys[0].0)
    }

    /// A keyed, deterministic digest for equality lookups without storing the value in clear.
    /// `kind` separates kinds of value, so a phone and an ID number never share an index entry.
    pub fn blind_index(&self, kind: &str, normalized: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key).expect("any key length");
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(normalized.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    mask(phone, 3, 4)
}

/// `410202********1234`.
pub fn mask_id_number(id: &str) -> String {
    mask(id, 6, 4)
}

/// `张**`: a person's name as staff lists show it (the surname only).
pub fn mask_name(name: &str) -> String {
    mask(name, 1, 0)
}

fn mask(s: &str, keep_start: usize, keep_end: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= keep_start + keep_end {
        return "*".repeat(chars.len());
    }
    let middle = chars.len() - keep_start - keep_end;
    format!(
        "{}{}{}",
        chars[..keep_start].iter().collect::<String>(),
        "*".repeat(middle),
        chars[chars.len() - keep_end..].iter().collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> PiiKeys {
        let (k, i) = PiiKeys::generate();
        PiiKeys::parse(&k, &i).unwrap()
    }

    #[test]
    fn values_round_trip_and_never_appear_in_clear() {
        let k = keys();
        let sealed = k.encrypt("13812345678");
        assert!(!sealed.contains("13812345678") && sealed.starts_with("k1:"));
        assert_ne!(sealed, k.encrypt("13812345678"), "a fresh nonce each time");
        assert_eq!(k.decrypt(&sealed).unwrap(), "13812345678");
    }

    #[test]
    fn tampering_is_detected() {
        let k = keys();
        let sealed = k.encrypt("410202199001011234");
        let (id, b64) = sealed.split_once(':').unwrap();
        let mut bytes = B64.decode(b64).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        assert!(k.decrypt(&format!("{id}:{}", B64.encode(bytes))).is_err());
    }

    #[test]
    fn old_keys_still_open_old_values_after_rotation() {
        let (old, index) = PiiKeys::generate();
        let before = PiiKeys::parse(&old, &index).unwrap();
        let sealed = before.encrypt("13900001111");
        let (new, _) = PiiKeys::generate();
        let rotated =
            PiiKeys::parse(&format!("{},{old}", new.replace("k1:", "k2:")), &index).unwrap();
        assert_eq!(rotated.decrypt(&sealed).unwrap(), "13900001111");
        assert!(!rotated.is_current(&sealed));
        assert!(rotated.is_current(&rotated.encrypt("x")));
        assert_eq!(
            before.blind_index("phone", "13900001111"),
            rotated.blind_index("phone", "13900001111"),
            "the index survives rotation"
        );
    }

    #[test]
    fn the_blind_index_separates_kinds_and_keys() {
        let k = keys();
        assert_eq!(k.blind_index("phone", "138"), k.blind_index("phone", "138"));
        assert_ne!(k.blind_index("phone", "138"), k.blind_index("id", "138"));
        assert_ne!(k.blind_index("phone", "138"), keys().blind_index("phone", "138"));
    }

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_id_number("410202199001011234"), "410202********1234");
        assert_eq!(mask_phone("123"), "***");
        assert_eq!(mask_name("张伟芳"), "张**");
    }

    #[test]
    fn bad_key_configuration_is_refused() {
        assert!(PiiKeys::parse("", "AAAA").is_err());
        assert!(
            PiiKeys::parse("k1:bm90IDMyIGJ5dGVz", &B64.encode([0u8; 32]))
                .unwrap_err()
                .to_string()
                .contains("32 bytes")
        );
    }
}
