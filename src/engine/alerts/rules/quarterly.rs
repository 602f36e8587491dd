//! The quarterly rules, for the quarterly executive review.

use super::{Ctx, Where, in_period, label};
use crate::domain::{Details, Event, Period, Priority, Sym};
use crate::engine::alerts::{AlertCandidate, Rule, Severity};
use crate::engine::direction::Direction;
use crate::engine::impact::Impact;
use crate::engine::trends::FOLLOW_UP_ACTIONS;
use chrono::Datelike;
use rustc_hash::FxHashMap;

/// Revenue-protection signals in two or more months of the quarter, or a large impact.
pub(super) fn revenue_pattern(ctx: &mut Ctx, quarter: &Period) {
    #[derive(Default)]
    struct Acc<'e> {
        events: Vec<&'e Event>,
        months: [bool; 3],
        impact: Impact,
        highest: Option<Priority>,
        follow_ups: u32,
    }
    let follow_up: Vec<Sym> = FOLLOW_UP_ACTIONS
        .iter()
        .filter_map(|a| ctx.ds.strings.get(a))
        .collect();
    let mut by_tenant: FxHashMap<Sym, Acc> = FxHashMap::default();
    for e in &ctx.ds.events {
        let Details::Revenue(r) = &e.details else {
            continue;
        };
        if !in_period(e, quarter) {
            continue;
        }
        let impact = ctx.impact(r.impact);
        let acc = by_tenant.entry(e.tenant).or_default();
        if let Some(d) = ctx.zone.date_of(e.at) {
            let m = (d.month0() % 3) as usize;
            acc.months[m] = true;
        }
        acc.impact.add(impact);
        acc.highest = acc.highest.max(r.priority);
        acc.follow_ups += u32::from(follow_up.contains(&r.follow_up));
        acc.events.push(e);
    }
    for (tenant, acc) in by_tenant {
        let months = acc.months.iter().filter(|m| **m).count() as u32;
        if months < ctx.cfg.revenue_pattern_months
            && acc.impact.high < ctx.cfg.revenue_pattern_impact
        {
            continue;
        }
        let title = format!(
            "Revenue signals in {months} of 3 months, {}",
            acc.impact.range()
        );
        // A quarter sums three months: judge its impact per month, and leave single
        // critical signals to the monthly rule.
        let severity = ctx
            .cfg
            .severity(acc.highest.min(Some(Priority::High)), acc.impact.high / 3.0);
        let figures = vec![
            ("months with signals", format!("{months} of 3")),
            ("signals", acc.events.len().to_string()),
            ("approximate impact", acc.impact.phrase("potential impact")),
            ("asking for review", acc.follow_ups.to_string()),
        ];
        let evidence = ctx.evidence(acc.events, figures);
        ctx.emit(
            Where {
                rule: Rule::RevenuePattern,
                tenant,
                subject: None,
                period: quarter,
            },
            severity,
            title,
            evidence,
        );
    }
}

/// A tenant's estimated quarterly savings (sum of range midpoints) exceed a threshold.
pub(super) fn cost_roi(ctx: &mut Ctx, quarter: &Period) {
    let mut by_tenant: FxHashMap<Sym, (Vec<&Event>, Impact)> = FxHashMap::default();
    for e in &ctx.ds.events {
        let Details::Cost(c) = &e.details else {
            continue;
        };
        if !in_period(e, quarter) {
            continue;
        }
        let savings = ctx.impact(c.savings);
        let g = by_tenant.entry(e.tenant).or_default();
        g.0.push(e);
        g.1.add(savings);
    }
    for (tenant, (events, savings)) in by_tenant {
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
            ("opportunities", events.len().to_string()),
        ];
        let evidence = ctx.evidence(events, figures);
        ctx.emit(
            Where {
                rule: Rule::CostRoi,
                tenant,
                subject: None,
                period: quarter,
            },
            severity,
            title,
            evidence,
        );
    }
}

/// Decision activity per tenant, for the quarterly executive review.
pub(super) fn planning_insight(ctx: &mut Ctx, quarter: &Period) {
    let mut by_tenant: FxHashMap<Sym, Vec<&Event>> = FxHashMap::default();
    for e in &ctx.ds.events {
        if matches!(e.details, Details::Decision(_)) && in_period(e, quarter) {
            by_tenant.entry(e.tenant).or_default().push(e);
        }
    }
    for (tenant, events) in by_tenant {
        let n = u32::try_from(events.len()).unwrap_or(u32::MAX);
        if n < ctx.cfg.planning_min_decisions.max(1) {
            continue;
        }
        let mut categories: FxHashMap<Sym, u32> = FxHashMap::default();
        for e in &events {
            if let Details::Decision(d) = &e.details {
                *categories.entry(d.category).or_default() += 1;
            }
        }
        let categories: Vec<(Sym, u32)> = categories.into_iter().collect();
        let mix: Vec<String> = crate::engine::series::ranked(&ctx.ds.strings, &categories)
            .into_iter()
            .map(|(c, k)| format!("{} ×{k}", ctx.ds.shown(c)))
            .collect();
        let title = format!(
            "{n} strategic {} this quarter",
            if n == 1 { "decision" } else { "decisions" }
        );
        let figures = vec![("decisions", n.to_string()), ("categories", mix.join(", "))];
        let evidence = ctx.evidence(events, figures);
        ctx.emit(
            Where {
                rule: Rule::PlanningInsight,
                tenant,
                subject: None,
                period: quarter,
            },
            Severity::Info,
            title,
            evidence,
        );
    }
}

/// Cost signals about one ESP vendor context rise quarter over quarter.
pub(super) fn vendor_trend(ctx: &mut Ctx, quarter: &Period) {
    let prev = quarter.previous();
    let mut by_vendor: FxHashMap<Sym, (Vec<&Event>, u32)> = FxHashMap::default();
    for e in &ctx.ds.events {
        let Details::Cost(c) = &e.details else {
            continue;
        };
        if c.vendor.is_empty() {
            continue;
        }
        if in_period(e, quarter) {
            by_vendor.entry(c.vendor).or_default().0.push(e);
        } else if in_period(e, &prev) {
            by_vendor.entry(c.vendor).or_default().1 += 1;
        }
    }
    for (vendor, (events, before)) in by_vendor {
        let now = u32::try_from(events.len()).unwrap_or(u32::MAX);
        let direction = Direction::between(f64::from(now), f64::from(before), ctx.dead_band);
        if direction != Direction::Rising || now < ctx.cfg.vendor_min_events {
            continue;
        }
        let name = ctx.ds.shown(vendor).to_owned();
        let tenants: std::collections::BTreeSet<&str> =
            events.iter().map(|e| ctx.ds.tenant(e.tenant)).collect();
        let severity = if now >= before.saturating_mul(2).max(ctx.cfg.vendor_min_events * 2) {
            Severity::Medium
        } else {
            Severity::Low
        };
        let title = format!(
            "{name} rising {before} → {now} across {} tenants",
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
        let evidence = ctx.evidence(events, figures);
        // A vendor trend spans tenants; its identity says so with the tenant "all".
        let period = label(quarter);
        ctx.out.push(AlertCandidate {
            id: AlertCandidate::identity(Rule::VendorTrend, "all", Some(&name), &period),
            rule: Rule::VendorTrend,
            tenant: "all".to_owned(),
            subject: Some(name),
            period,
            severity,
            title,
            evidence,
        });
    }
}
