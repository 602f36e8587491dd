//! The monthly rules, for the monthly process review.

use super::{Ctx, Where, in_period};
use crate::domain::values::{ReviewTimeframe, next_month_start};
use crate::domain::{DecisionDetails, Details, Event, Period, Priority, Sym};
use crate::engine::alerts::{EVIDENCE_EVENTS, Evidence, EvidenceEvent, Rule, Severity};
use crate::engine::direction::Direction;
use crate::engine::impact::Impact;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

/// A tenant's deliverability signals rise month over month, or a high/critical one arrives.
pub(super) fn deliverability_trend(ctx: &mut Ctx, month: &Period) {
    let prev = month.previous();
    #[derive(Default)]
    struct Acc<'e> {
        now: Vec<&'e Event>,
        before: u32,
        impact: Impact,
        highest: Option<Priority>,
    }
    let mut by_tenant: FxHashMap<Sym, Acc> = FxHashMap::default();
    for e in &ctx.ds.events {
        let Details::Revenue(r) = &e.details else {
            continue;
        };
        let (now, before) = (in_period(e, month), in_period(e, &prev));
        if !(now || before) || !ctx.is_deliverability(r.category) {
            continue;
        }
        let acc = by_tenant.entry(e.tenant).or_default();
        if before {
            acc.before += 1;
        } else {
            acc.now.push(e);
            let impact = ctx.impact(r.impact);
            acc.impact.add(impact);
            acc.highest = acc.highest.max(r.priority);
        }
    }
    for (tenant, acc) in by_tenant {
        let now = u32::try_from(acc.now.len()).unwrap_or(u32::MAX);
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
        let severity = ctx.cfg.severity(acc.highest, acc.impact.high);
        let figures = vec![
            ("signals this month", now.to_string()),
            ("same days of the month before", acc.before.to_string()),
            ("direction", direction.label()),
            ("approximate impact", acc.impact.phrase("potential impact")),
            (
                "highest priority",
                acc.highest.map_or("—", Priority::name).to_owned(),
            ),
        ];
        let evidence = ctx.evidence(acc.now, figures);
        ctx.emit(
            Where {
                rule: Rule::DeliverabilityTrend,
                tenant,
                subject: None,
                period: month,
            },
            severity,
            title,
            evidence,
        );
    }
}

/// Cost opportunities that require strategic review, per tenant and optimization type.
pub(super) fn cost_opportunity(ctx: &mut Ctx, month: &Period) {
    let mut groups: FxHashMap<(Sym, Sym), (Vec<&Event>, Impact)> = FxHashMap::default();
    for e in &ctx.ds.events {
        let Details::Cost(c) = &e.details else {
            continue;
        };
        if c.review_required != Some(true) || !in_period(e, month) {
            continue;
        }
        let savings = ctx.impact(c.savings);
        let g = groups.entry((e.tenant, c.optimization)).or_default();
        g.0.push(e);
        g.1.add(savings);
    }
    for ((tenant, kind), (events, savings)) in groups {
        let kind_name = ctx.ds.shown(kind).to_owned();
        let n = events.len();
        let title = format!("{n} to review: {kind_name}");
        let severity = ctx.cfg.severity(None, savings.high);
        let figures = vec![
            ("opportunities requiring review", n.to_string()),
            ("approximate savings", savings.phrase("estimated savings")),
        ];
        let evidence = ctx.evidence(events, figures);
        ctx.emit(
            Where {
                rule: Rule::CostOpportunity,
                tenant,
                subject: Some(&kind_name),
                period: month,
            },
            severity,
            title,
            evidence,
        );
    }
}

/// Decisions whose review date (tracking date + review timeframe) falls in the month.
pub(super) fn decision_review_due(ctx: &mut Ctx, month: &Period) {
    let (start, end) = (month.start, next_month_start(month.start));
    let executive = ctx.ds.strings.get("executive");
    let mut timeframes: FxHashMap<Sym, Option<ReviewTimeframe>> = FxHashMap::default();
    let mut due = Vec::new();
    for e in &ctx.ds.events {
        let Details::Decision(d) = &e.details else {
            continue;
        };
        let ds = ctx.ds;
        let tf = *timeframes
            .entry(d.timeframe)
            .or_insert_with(|| ReviewTimeframe::parse(ds.resolve(d.timeframe)));
        let made = e.tracked_date().or_else(|| ctx.zone.date_of(e.at));
        let Some(review) = made.zip(tf).and_then(|(m, tf)| tf.after(m)) else {
            continue;
        };
        if review >= start && review < end {
            due.push((e, *d, made, review));
        }
    }
    // One alert per tenant and month: the month's process review goes through a
    // tenant's decisions together; the evidence lists each of them.
    let mut by_tenant: FxHashMap<Sym, Vec<(&Event, DecisionDetails, NaiveDate)>> =
        FxHashMap::default();
    for (e, d, _, review) in due {
        by_tenant.entry(e.tenant).or_default().push((e, d, review));
    }
    for (tenant, mut decisions) in by_tenant {
        decisions.sort_by_key(|(e, _, review)| (*review, e.at));
        let severity = if decisions
            .iter()
            .any(|(_, d, _)| Some(d.maker_level) == executive)
        {
            Severity::High
        } else {
            Severity::Medium
        };
        let n = decisions.len();
        let passed = decisions.iter().filter(|(_, _, r)| *r < ctx.today).count();
        let first = decisions
            .first()
            .map(|(_, _, r)| r.to_string())
            .unwrap_or_default();
        let title = format!(
            "Review {n} decision outcome{} due this month, first {first}",
            if n == 1 { "" } else { "s" }
        );
        let schedule: Vec<String> = decisions
            .iter()
            .map(|(_, d, r)| {
                format!(
                    "{} ({}) due {r}",
                    ctx.ds.shown(d.category),
                    ctx.ds.shown(d.maker_level)
                )
            })
            .collect();
        let figures = vec![
            ("decisions due", n.to_string()),
            ("review date passed", passed.to_string()),
            ("reviews", schedule.join("; ")),
        ];
        let evidence = ctx.evidence(decisions.iter().map(|(e, _, _)| *e).collect(), figures);
        ctx.emit(
            Where {
                rule: Rule::DecisionReviewDue,
                tenant,
                subject: None,
                period: month,
            },
            severity,
            title,
            evidence,
        );
    }
}

/// A configured event (e.g. a competitive-intelligence update) appeared.
pub(super) fn custom_event(ctx: &mut Ctx, month: &Period) {
    if ctx.cfg.custom_events.is_empty() {
        return;
    }
    let mut groups: FxHashMap<(Sym, Sym), Vec<i64>> = FxHashMap::default();
    for c in &ctx.ds.custom {
        if month.contains(c.at) {
            groups.entry((c.tenant, c.name)).or_default().push(c.at);
        }
    }
    for ((tenant, name), mut times) in groups {
        times.sort_unstable_by(|a, b| b.cmp(a));
        let name = ctx.ds.shown(name).to_owned();
        let title = format!("{} × {name}", times.len());
        let evidence = Evidence {
            figures: vec![("events this month".to_owned(), times.len().to_string())],
            events: times
                .iter()
                .take(EVIDENCE_EVENTS)
                .map(|t| EvidenceEvent {
                    uuid: None,
                    date: ctx.zone.date_of(*t),
                    event: name.clone(),
                    summary: String::new(),
                })
                .collect(),
            total_events: u32::try_from(times.len()).unwrap_or(u32::MAX),
        };
        ctx.emit(
            Where {
                rule: Rule::CustomEvent,
                tenant,
                subject: Some(&name),
                period: month,
            },
            Severity::Low,
            title,
            evidence,
        );
    }
}
