//! The quarterly rules, for the quarterly executive review.

use super::{Ctx, Key};
use crate::domain::{Priority, Sym};
use crate::engine::alerts::rollup::Win;
use crate::engine::alerts::{Rule, Severity};
use crate::engine::direction::Direction;
use crate::engine::rollup::{Counts, bump};
use crate::engine::trends::FOLLOW_UP_ACTIONS;
use std::collections::{BTreeMap, BTreeSet};

fn merge(into: &mut Counts<Sym>, from: &Counts<Sym>) {
    for (text, n) in from {
        bump(into, *text, *n);
    }
}

/// Revenue-protection signals in two or more months of the quarter, or a large impact.
pub(super) fn revenue_pattern(ctx: &mut Ctx, quarter: Win) {
    #[derive(Default)]
    struct Acc {
        count: u32,
        months: [u32; 3],
        impacts: Counts<Sym>,
        highest: Option<Priority>,
        follow_ups: u32,
    }
    let mut by_tenant: BTreeMap<Sym, Acc> = BTreeMap::new();
    for ((win, tenant, _), cell) in &ctx.r.revenue {
        if *win != quarter || cell.count == 0 {
            continue;
        }
        let acc = by_tenant.entry(*tenant).or_default();
        acc.count += cell.count;
        for (m, n) in acc.months.iter_mut().zip(cell.months) {
            *m += n;
        }
        merge(&mut acc.impacts, &cell.impacts);
        for (p, n) in &cell.priorities {
            if *n > 0 {
                acc.highest = acc.highest.max(*p);
            }
        }
        acc.follow_ups += cell
            .follow_ups
            .iter()
            .filter(|(s, _)| FOLLOW_UP_ACTIONS.contains(&ctx.strings.resolve(*s)))
            .map(|(_, n)| n)
            .sum::<u32>();
    }
    for (tenant, acc) in by_tenant {
        let months = acc.months.iter().filter(|m| **m > 0).count() as u32;
        let impact = ctx.impact(&acc.impacts);
        if months < ctx.cfg.revenue_pattern_months && impact.high < ctx.cfg.revenue_pattern_impact {
            continue;
        }
        let title = format!(
            "Revenue signals in {months} of 3 months, {}",
            impact.range()
        );
        // A quarter sums three months: judge its impact per month, and leave single
        // critical signals to the monthly rule.
        let severity = ctx
            .cfg
            .severity(acc.highest.min(Some(Priority::High)), impact.high / 3.0);
        let figures = vec![
            ("months with signals", format!("{months} of 3")),
            ("signals", acc.count.to_string()),
            ("approximate impact", impact.phrase("potential impact")),
            ("asking for review", acc.follow_ups.to_string()),
        ];
        let key = Key::tenant(Rule::RevenuePattern, quarter, tenant);
        ctx.emit(key, severity, title, figures, acc.count);
    }
}

/// A tenant's estimated quarterly savings (sum of range midpoints) exceed a threshold.
pub(super) fn cost_roi(ctx: &mut Ctx, quarter: Win) {
    let mut by_tenant: BTreeMap<Sym, (u32, Counts<Sym>)> = BTreeMap::new();
    for ((win, tenant, _, _), cell) in &ctx.r.cost {
        if *win != quarter || cell.count == 0 {
            continue;
        }
        let g = by_tenant.entry(*tenant).or_default();
        g.0 += cell.count;
        merge(&mut g.1, &cell.savings);
    }
    for (tenant, (n, savings)) in by_tenant {
        let savings = ctx.impact(&savings);
        if savings.midpoints < ctx.cfg.cost_roi_savings {
            continue;
        }
        let estimate = crate::domain::range::short_number(savings.midpoints);
        let title = format!("Estimated savings ≈ ${estimate} this quarter");
        let severity = ctx
            .cfg
            .severity(None, savings.midpoints)
            .min(Severity::High);
        let figures = vec![
            (
                "estimated savings (sum of midpoints)",
                format!("${estimate}"),
            ),
            ("range", savings.phrase("estimated savings")),
            (
                "threshold",
                format!(
                    "${}",
                    crate::domain::range::short_number(ctx.cfg.cost_roi_savings)
                ),
            ),
            ("opportunities", n.to_string()),
        ];
        let key = Key::tenant(Rule::CostRoi, quarter, tenant);
        ctx.emit(key, severity, title, figures, n);
    }
}

/// Decision activity per tenant, for the quarterly executive review.
pub(super) fn planning_insight(ctx: &mut Ctx, quarter: Win) {
    let mut by_tenant: BTreeMap<Sym, Counts<Sym>> = BTreeMap::new();
    for ((win, tenant, category), n) in &ctx.r.decisions {
        if *win == quarter && *n > 0 {
            bump(by_tenant.entry(*tenant).or_default(), *category, *n);
        }
    }
    for (tenant, categories) in by_tenant {
        let n: u32 = categories.iter().map(|(_, k)| k).sum();
        if n < ctx.cfg.planning_min_decisions.max(1) {
            continue;
        }
        let mix: Vec<String> = crate::engine::series::ranked(ctx.strings, &categories)
            .into_iter()
            .map(|(c, k)| format!("{} ×{k}", ctx.shown(c)))
            .collect();
        let title = format!(
            "{n} strategic {} this quarter",
            if n == 1 { "decision" } else { "decisions" }
        );
        let figures = vec![("decisions", n.to_string()), ("categories", mix.join(", "))];
        let key = Key::tenant(Rule::PlanningInsight, quarter, tenant);
        ctx.emit(key, Severity::Info, title, figures, n);
    }
}

/// Cost signals about one ESP vendor context rise quarter over quarter.
pub(super) fn vendor_trend(ctx: &mut Ctx, quarter: Win) {
    #[derive(Default)]
    struct Acc {
        now: u32,
        before: u32,
        tenants: BTreeSet<Sym>,
    }
    let before = quarter.before();
    let mut by_vendor: BTreeMap<Sym, Acc> = BTreeMap::new();
    for ((win, tenant, _, _), cell) in &ctx.r.cost {
        if *win != quarter && *win != before {
            continue;
        }
        for (vendor, n) in &cell.vendors {
            if vendor.is_empty() || *n == 0 {
                continue;
            }
            let acc = by_vendor.entry(*vendor).or_default();
            if *win == quarter {
                acc.now += n;
                acc.tenants.insert(*tenant);
            } else {
                acc.before += n;
            }
        }
    }
    for (vendor, acc) in by_vendor {
        let (now, before) = (acc.now, acc.before);
        let direction = Direction::between(f64::from(now), f64::from(before), ctx.dead_band);
        if direction != Direction::Rising || now < ctx.cfg.vendor_min_events {
            continue;
        }
        let tenants: BTreeSet<&str> = acc.tenants.iter().map(|t| ctx.tenant(*t)).collect();
        let severity = if now >= before.saturating_mul(2).max(ctx.cfg.vendor_min_events * 2) {
            Severity::Medium
        } else {
            Severity::Low
        };
        let title = format!(
            "{} rising {before} → {now} across {} tenants",
            ctx.shown(vendor),
            tenants.len()
        );
        let figures = vec![
            ("signals this quarter", now.to_string()),
            ("same days of the quarter before", before.to_string()),
            ("direction", direction.label()),
            (
                "tenants",
                tenants.into_iter().collect::<Vec<_>>().join(", "),
            ),
        ];
        // A vendor trend spans tenants; its identity says so with the tenant "all".
        let key = Key {
            rule: Rule::VendorTrend,
            win: quarter,
            tenant: None,
            subject: Some(vendor),
        };
        ctx.emit(key, severity, title, figures, now);
    }
}
