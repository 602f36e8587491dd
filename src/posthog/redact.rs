//! The key cut out of whatever a server sends back. PostHog, or anything answering at
//! POSTHOG_HOST (a proxy's debug page, a misconfigured gateway), may echo the
//! `Authorization` header in an error body or an answer; bearing would then show,
//! store and log it. So every byte the client reads passes through here before it is
//! parsed, and every text decoded from it (a JSON `\u` escape hides the key's bytes)
//! passes through again. Cut out: any `phx_…` token (a personal API key, bearing's or
//! anyone's, whole or cut short) and any run of the key's own secret of 8 bytes or
//! more, whatever surrounds it.

use serde_json::Value;
use std::borrow::Cow;

/// What stands where a key was.
pub const REDACTED: &str = "[redacted key]";

/// A personal API key's prefix; PostHog writes the rest in URL-safe base64.
const PREFIX: &[u8] = b"phx_";
/// A piece of the key this long is the key: 8 random base64 characters are not text
/// anyone writes by chance, and shorter pieces would match ordinary data.
const PIECE: usize = 8;

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Redacts for one key; `Redactor::default()` knows no key and cuts `phx_…` tokens only.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    /// Every 8-byte window of the key's secret, sorted for a binary search.
    pieces: Vec<u64>,
}

impl Redactor {
    /// The secret is the key after `phx_` (the prefix alone names the kind, which is
    /// shown by design), or the whole key when it has another form.
    pub fn for_key(key: &str) -> Redactor {
        let secret = key.as_bytes();
        let secret = secret.strip_prefix(PREFIX).unwrap_or(secret);
        let mut pieces: Vec<u64> = secret.windows(PIECE).map(window).collect();
        pieces.sort_unstable();
        pieces.dedup();
        Redactor { pieces }
    }

    fn is_piece(&self, bytes: &[u8]) -> bool {
        bytes.len() >= PIECE && self.pieces.binary_search(&window(&bytes[..PIECE])).is_ok()
    }

    /// `bytes` with every key cut out; None when there was none (the usual case,
    /// which then costs no copy).
    fn scrub(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let end = if bytes[i..].starts_with(PREFIX) {
                let tail = bytes[i + PREFIX.len()..]
                    .iter()
                    .take_while(|b| is_token_byte(**b))
                    .count();
                (tail > 0).then_some(i + PREFIX.len() + tail)
            } else if self.is_piece(&bytes[i..]) {
                Some(i + PIECE)
            } else {
                None
            };
            match (end, cuts.last_mut()) {
                (Some(end), Some(last)) if i <= last.1 => last.1 = last.1.max(end),
                (Some(end), _) => cuts.push((i, end)),
                (None, _) => {}
            }
            i += 1;
        }
        if cuts.is_empty() {
            return None;
        }
        let mut out = Vec::with_capacity(bytes.len());
        let mut from = 0;
        for (start, end) in cuts {
            out.extend_from_slice(&bytes[from..start]);
            out.extend_from_slice(REDACTED.as_bytes());
            from = end;
        }
        out.extend_from_slice(&bytes[from..]);
        Some(out)
    }

    /// A body as read from the network, before it is parsed.
    pub fn bytes(&self, bytes: Vec<u8>) -> Vec<u8> {
        self.scrub(&bytes).unwrap_or(bytes)
    }

    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.scrub(text.as_bytes()) {
            // A piece of a key with other than ASCII in it can end inside a character.
            Some(out) => Cow::Owned(String::from_utf8_lossy(&out).into_owned()),
            None => Cow::Borrowed(text),
        }
    }

    /// Every string in a decoded answer, map keys included.
    pub fn value(&self, v: &mut Value) {
        match v {
            Value::String(s) => {
                if let Cow::Owned(clean) = self.text(s) {
                    *s = clean;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|x| self.value(x)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                *map = entries
                    .into_iter()
                    .map(|(k, mut x)| {
                        self.value(&mut x);
                        (self.text(&k).into_owned(), x)
                    })
                    .collect();
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

fn window(bytes: &[u8]) -> u64 {
    let mut w = [0; PIECE];
    w.copy_from_slice(&bytes[..PIECE]);
    u64::from_le_bytes(w)
}

/// Every `phx_…` token in `text` cut out, for text that no key is known for (config
/// errors, PostHog's details once decoded).
pub fn tokens(text: &str) -> Cow<'_, str> {
    Redactor::default().text(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "phx_t3stK3yAbcdEfgh1234ijkl5678mnop";

    #[test]
    fn the_key_whole_cut_short_or_bare_and_any_phx_token_are_cut_out() {
        let r = Redactor::for_key(KEY);
        let secret = &KEY[4..];
        for (given, shown) in [
            (
                format!("Bearer {KEY} is invalid"),
                "Bearer [redacted key] is invalid",
            ),
            (format!("key {}…", &KEY[..16]), "key [redacted key]…"),
            (format!("x{secret}y"), "x[redacted key]y"),
            (format!("({})", &secret[5..17]), "([redacted key])"),
            (
                "phx_someone-ELSES_key and phx_".to_owned(),
                "[redacted key] and phx_",
            ),
            ("bearer [redacted key]".to_owned(), "bearer [redacted key]"),
            (
                "no key here, 1234567 phc_token".to_owned(),
                "no key here, 1234567 phc_token",
            ),
        ] {
            assert_eq!(r.text(&given), shown, "{given}");
        }
        // Without a key, only tokens go.
        assert_eq!(
            tokens(&format!("x{secret} phx_ab")),
            format!("x{secret} [redacted key]")
        );
    }

    #[test]
    fn bodies_stay_json_and_decoded_strings_are_cut_too() {
        let r = Redactor::for_key(KEY);
        let body = format!(r#"{{"detail": "{KEY}", "n": 1}}"#).into_bytes();
        let clean: Value = serde_json::from_slice(&r.bytes(body)).unwrap();
        assert_eq!(clean["detail"], "[redacted key]");
        // \u escapes pass the byte scan; the decoded value is cut.
        let escaped: String = KEY
            .chars()
            .map(|c| format!("\\u{:04x}", c as u32))
            .collect();
        let body = format!(r#"{{"{escaped}": ["{escaped}"]}}"#).into_bytes();
        let mut v: Value = serde_json::from_slice(&r.bytes(body)).unwrap();
        r.value(&mut v);
        assert_eq!(v, serde_json::json!({"[redacted key]": ["[redacted key]"]}));
    }

    #[test]
    fn an_unusual_key_is_still_found_and_a_tiny_one_mangles_nothing() {
        let r = Redactor::for_key("sk-ünïcode-secret-key");
        assert_eq!(r.text("a sk-ünïcode-secret-key b"), "a [redacted key] b");
        let r = Redactor::for_key("abc");
        assert_eq!(r.text("abc abcdefgh"), "abc abcdefgh");
    }
}
