//! The `[posthog]` section of the config file: each value checked where it was written,
//! so an error names its line and column (and never echoes a key, not even when toml
//! itself refuses the value: see [`touches_secret`]).

use super::{ConfigError, FileCtx};
use crate::posthog::settings::PostHogSettings;
use std::ops::Range;

pub(super) fn apply_section(
    s: &mut PostHogSettings,
    p: &crate::posthog::settings::PostHogSection,
    ctx: &FileCtx,
) -> Result<(), ConfigError> {
    use crate::posthog::settings as ph;
    // The opt-out first: it vouches for the host written beside it.
    if let Some(a) = p.allow_plain_http {
        s.allow_plain_http = a;
    }
    if let Some(h) = &p.host {
        let shown = ph::shown_host(h.get_ref());
        let host = ph::check_host(h.get_ref())
            .map_err(|m| ctx.err(h.span(), format!("host = {shown:?}: {m}")))?;
        ph::check_transport(&host, s.allow_plain_http, ph::FILE_OPT_OUT)
            .map_err(|m| ctx.err(h.span(), format!("host = {shown:?}: {m}")))?;
        s.host = Some(host);
    }
    if let Some(id) = &p.project_id {
        let text = id.get_ref().text();
        s.project_id = Some(
            ph::check_project_id(&text)
                .map_err(|m| ctx.err(id.span(), format!("project_id = {text:?}: {m}")))?,
        );
    }
    if let Some(v) = &p.path_prefix {
        s.prefix = ph::PathPrefix::parse(v.get_ref()).ok_or_else(|| {
            ctx.err(
                v.span(),
                format!(
                    "path_prefix = {:?}: use projects or environments",
                    v.get_ref()
                ),
            )
        })?;
    }
    if let Some(f) = p.key_file.as_ref().filter(|f| !f.trim().is_empty()) {
        s.key = Some(ph::KeySource::File(crate::files::user_path(f)));
    }
    if let Some(k) = p
        .personal_api_key
        .as_ref()
        .filter(|k| !k.get_ref().is_empty())
    {
        // The message names the setting, never the value.
        let key = crate::posthog::key::ApiKey::new(k.get_ref())
            .map_err(|e| ctx.err(k.span(), format!("personal_api_key: {e}")))?;
        s.key = Some(ph::KeySource::Inline {
            key,
            from: format!("personal_api_key in {}", ctx.path),
        });
    }
    if let Some(t) = p
        .subscriptions_table
        .as_ref()
        .filter(|t| !t.get_ref().is_empty())
    {
        s.subscriptions_table = Some(ph::check_table(t.get_ref()).map_err(|m| {
            ctx.err(
                t.span(),
                format!("subscriptions_table = {:?}: {m}", t.get_ref()),
            )
        })?);
    }
    if let Some(m) = &p.query_mode {
        s.mode = ph::parse_mode(m.get_ref()).ok_or_else(|| {
            ctx.err(
                m.span(),
                format!("query_mode = {:?}: use blocking or async", m.get_ref()),
            )
        })?;
    }
    if let Some(q) = &p.max_queries_per_hour {
        let v = *q.get_ref();
        if v == 0 || v > 2400 {
            return Err(ctx.err(
                q.span(),
                format!("max_queries_per_hour = {v}: must be between 1 and 2400 (PostHog's limit)"),
            ));
        }
        s.queries_per_hour = v;
    }
    Ok(())
}

/// The settings whose values are secrets: no error about the file shows them.
const SECRET_FIELDS: &[&str] = &["personal_api_key"];

/// Where the values of secret settings lie in the file, as byte ranges from after the
/// `=` to the end of the value (a list or a table may run over several lines). Found
/// by scanning, since a file with a syntax error has no parse to take spans from.
fn secret_values(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(eq) = line.find('=') {
            let name: String = line[..eq]
                .chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\''))
                .collect();
            // A dotted key (`posthog.personal_api_key`) names the field last.
            let field = name.rsplit('.').next().unwrap_or("");
            let plain = name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
            if plain && SECRET_FIELDS.contains(&field) {
                let from = start + eq + 1;
                out.push(from..value_end(text, from));
            }
        }
        start += line.len();
    }
    out
}

/// The end of a TOML value starting at `from`: the end of its line once every bracket
/// and string opened on the way is closed (an unclosed one-line string ends at its line).
fn value_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'') => {
                let triple = [q; 3];
                let multi = bytes[i..].starts_with(&triple);
                i += if multi { 3 } else { 1 };
                while i < bytes.len() {
                    if multi && bytes[i..].starts_with(&triple) {
                        i += 2;
                        break;
                    }
                    match bytes[i] {
                        b'\\' if q == b'"' => i += 1,
                        b'\n' if !multi => break,
                        b if b == q && !multi => break,
                        _ => {}
                    }
                    i += 1;
                }
                if bytes.get(i) == Some(&b'\n') && depth <= 0 {
                    return i + 1;
                }
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth -= 1,
            b'#' => {
                while i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                    i += 1;
                }
            }
            b'\n' if depth <= 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Whether a toml error at `span` is about the value of a secret setting, so that
/// the excerpt of the file it would quote must be left out.
pub(super) fn touches_secret(text: &str, span: &Range<usize>) -> bool {
    let end = span.end.max(span.start + 1);
    secret_values(text)
        .iter()
        .any(|v| span.start < v.end && v.start < end)
}

/// A toml error's message without any word of a secret setting's value: serde quotes
/// the integer or the string it did not expect.
pub(super) fn without_secrets(text: &str, message: &str) -> String {
    let mut words: Vec<&str> = secret_values(text)
        .into_iter()
        .flat_map(|v| text[v].split(|c: char| c.is_whitespace() || "\"'[]{},=#".contains(c)))
        .filter(|w| w.len() >= 4)
        .collect();
    // The longest first, so that a word inside another does not leave the rest.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut out = message.to_owned();
    for w in words {
        out = out.replace(w, crate::posthog::redact::REDACTED);
    }
    out
}
