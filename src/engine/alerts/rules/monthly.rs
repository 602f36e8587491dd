//! The monthly rules, for the monthly process review.

use super::{Ctx, Key};
use crate::domain::{Priority, Sym};
use crate::engine::alerts::rollup::{DueCell, Win};
use crate::engine::alerts::{Rule, Severity};
use crate::engine::direction::Direction;
use crate::engine::rollup::{Counts, bump};
use std::collections::BTreeMap;

/// A tenant's deliverability signals rise month over month, or a high/critical one arrives.
pub(super) fn deliverability_trend(ctx: &mut Ctx, month: Win) {
    #[derive(Default)]
    struct Acc {
        now: u32,
        before: u32,
        impacts: Counts<Sym>,
        highest: Option<Priority>,
    }
    let before = month.before();
    let mut by_tenant: BTreeMap<Sym, Acc> = BTreeMap::new();
    for ((win, tenant, category), cell) in &ctx.r.revenue {
        if (*win != month && *win != before) || !ctx.is_deliverability(*category) {
            continue;
        }
        let acc = by_tenant.entry(*tenant).or_default();
        if *win == before {
            acc.before += cell.count;
            continue;
        }
        acc.now += cell.count;
        for (text, n) in &cell.impacts {
            bump(&mut acc.impacts, *text, *n);
        }
        for (p, n) in &cell.priorities {
            if *n > 0 {
                acc.highest = acc.highest.max(*p);
            }
        }
    }
    for (tenant, acc) in by_tenant {
        let now = acc.now;
        let direction = Direction::between(f64::from(now), f64::from(acc.before), ctx.dead_band);
        let urgent = acc.highest.is_some_and(Priority::is_urgent);
        if !(urgent || (direction == Direction::Rising && now > 0)) {
            continue;
        }
        let title = if direction == Direction::Rising {
            format!("Deliverability signals rising {} → {now}", acc.before)
        } else {
            format!(
                "{} deliverability signal",
                acc.highest.map_or("urgent", Priority::name)
            )
        };
        let impact = ctx.impact(&acc.impacts);
        let severity = ctx.cfg.severity(acc.highest, impact.high);
        let figures = vec![
            ("signals this month", now.to_string()),
            ("same days of the month before", acc.before.to_string()),
            ("direction", direction.label()),
            ("approximate impact", impact.phrase("potential impact")),
            (
                "highest priority",
                acc.highest.map_or("—", Priority::name).to_owned(),
            ),
        ];
        let key = Key::tenant(Rule::DeliverabilityTrend, month, tenant);
        ctx.emit(key, severity, title, figures, now);
    }
}

/// Cost opportunities that require strategic review, per tenant and optimization type.
pub(super) fn cost_opportunity(ctx: &mut Ctx, month: Win) {
    let mut groups: BTreeMap<(Sym, Sym), (u32, Counts<Sym>)> = BTreeMap::new();
    for ((win, tenant, kind, review), cell) in &ctx.r.cost {
        if *win != month || *review != Some(true) {
            continue;
        }
        let g = groups.entry((*tenant, *kind)).or_default();
        g.0 += cell.count;
        for (text, n) in &cell.savings {
            bump(&mut g.1, *text, *n);
        }
    }
    for ((tenant, kind), (n, savings)) in groups {
        if n == 0 {
            continue;
        }
        let savings = ctx.impact(&savings);
        let title = format!("{n} to review: {}", ctx.shown(kind));
        let severity = ctx.cfg.severity(None, savings.high);
        let figures = vec![
            ("opportunities requiring review", n.to_string()),
            ("approximate savings", savings.phrase("estimated savings")),
        ];
        let key = Key {
            rule: Rule::CostOpportunity,
            win: month,
            tenant: Some(tenant),
            subject: Some(kind),
        };
        ctx.emit(key, severity, title, figures, n);
    }
}

/// Decisions whose review date (tracking date + review timeframe) falls in the month.
/// One alert per tenant and month: the month's process review goes through a tenant's
/// decisions together; the figures list them by category and level.
pub(super) fn decision_review_due(ctx: &mut Ctx, month: Win) {
    let start = ctx.w.period(month).start;
    let mut by_tenant: BTreeMap<Sym, Vec<(Sym, Sym, DueCell)>> = BTreeMap::new();
    for (due, cell) in &ctx.r.due {
        if due.month != start || cell.count == 0 {
            continue;
        }
        // The follow-up text splits groups the review does not care about.
        let groups = by_tenant.entry(due.tenant).or_default();
        match groups
            .iter_mut()
            .find(|(c, l, _)| (*c, *l) == (due.category, due.level))
        {
            Some((_, _, c)) => c.add(*cell),
            None => groups.push((due.category, due.level, *cell)),
        }
    }
    for (tenant, mut groups) in by_tenant {
        // By first review date, then by what was decided: an order both executors give.
        groups.sort_by(|a, b| {
            let key = |g: &(Sym, Sym, DueCell)| {
                (
                    g.2.first,
                    ctx.strings.resolve(g.0),
                    ctx.strings.resolve(g.1),
                )
            };
            key(a).cmp(&key(b))
        });
        let executive = groups
            .iter()
            .any(|(_, level, _)| ctx.strings.resolve(*level) == "executive");
        let severity = if executive {
            Severity::High
        } else {
            Severity::Medium
        };
        let n: u32 = groups.iter().map(|(_, _, c)| c.count).sum();
        let passed: u32 = groups.iter().map(|(_, _, c)| c.passed).sum();
        let first = groups
            .iter()
            .map(|(_, _, c)| c.first)
            .min()
            .map(|d| d.to_string())
            .unwrap_or_default();
        let title = format!(
            "Review {n} decision outcome{} due this month, first {first}",
            if n == 1 { "" } else { "s" }
        );
        let schedule: Vec<String> = groups
            .iter()
            .map(|(category, level, c)| {
                let what = format!("{} ({})", ctx.shown(*category), ctx.shown(*level));
                if c.count == 1 {
                    format!("{what} due {}", c.first)
                } else {
                    format!("{what} ×{} from {}", c.count, c.first)
                }
            })
            .collect();
        let figures = vec![
            ("decisions due", n.to_string()),
            ("review date passed", passed.to_string()),
            ("reviews", schedule.join("; ")),
        ];
        let key = Key::tenant(Rule::DecisionReviewDue, month, tenant);
        ctx.emit(key, severity, title, figures, n);
    }
}

/// A configured event (e.g. a competitive-intelligence update) appeared.
pub(super) fn custom_event(ctx: &mut Ctx, month: Win) {
    if ctx.cfg.custom_events.is_empty() {
        return;
    }
    let mut groups: BTreeMap<(Sym, Sym), u32> = BTreeMap::new();
    for ((win, tenant, name), n) in &ctx.r.custom {
        if *win == month {
            *groups.entry((*tenant, *name)).or_default() += n;
        }
    }
    for ((tenant, name), n) in groups {
        if n == 0 {
            continue;
        }
        let title = format!("{n} × {}", ctx.shown(name));
        let key = Key {
            rule: Rule::CustomEvent,
            win: month,
            tenant: Some(tenant),
            subject: Some(name),
        };
        let figures = vec![("events this month", n.to_string())];
        ctx.emit(key, Severity::Low, title, figures, n);
    }
}
