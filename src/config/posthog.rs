//! The `[posthog]` section of the config file: each value checked where it was written,
//! so an error names its line and column (and never echoes a key).

use super::{ConfigError, FileCtx};
use crate::posthog::settings::PostHogSettings;
use std::path::PathBuf;

pub(super) fn apply_section(
    s: &mut PostHogSettings,
    p: &crate::posthog::settings::PostHogSection,
    ctx: &FileCtx,
) -> Result<(), ConfigError> {
    use crate::posthog::settings as ph;
    if let Some(h) = &p.host {
        s.host = Some(
            ph::check_host(h.get_ref())
                .map_err(|m| ctx.err(h.span(), format!("host = {:?}: {m}", h.get_ref())))?,
        );
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
        s.key = Some(ph::KeySource::File(PathBuf::from(f)));
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
