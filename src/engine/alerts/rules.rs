//! The eight rules. Each looks at the current and the previous month (monthly rules)
//! or quarter (quarterly rules); "rising" compares with the period of the same length
//! before, as everywhere in bearing.

use super::{
    AlertCandidate, AlertConfig, EVIDENCE_EVENTS, Evidence, EvidenceEvent, Rule, Severity,
};
use crate::domain::period::{PeriodUnit, month_label, quarter_label};
use crate::domain::values::{ReviewTimeframe, date_of, next_month_start};
use crate::domain::{Dataset, DecisionDetails, Details, Event, Period, PeriodSpec, Priority, Sym};
use crate::engine::direction::Direction;
use crate::engine::impact::{Impact, RangeCache};
use crate::engine::trends::FOLLOW_UP_ACTIONS;
use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;

/// Which alert: rule, tenant, subject and period make its identity.
struct Where<'p> {
    rule: Rule,
    tenant: Sym,
    subject: Option<&'p str>,
    period: &'p Period,
}

struct Ctx<'a> {
    ds: &'a Dataset,
    today: NaiveDate,
    dead_band: f64,
    cfg: &'a AlertConfig,
    cache: RangeCache,
    deliverability: FxHashMap<Sym, bool>,
    out: Vec<AlertCandidate>,
}

fn label(p: &Period) -> String {
    match p.unit {
        PeriodUnit::Quarter => quarter_label(p.start),
        _ => month_label(p.start),
    }
}

fn in_period(e: &Event, p: &Period) -> bool {
    e.at != i64::MIN && p.contains(e.at)
}

impl Ctx<'_> {
    fn emit(&mut self, at: Where, severity: Severity, title: String, evidence: Evidence) {
        let Where {
            rule,
            tenant,
            subject,
            period,
        } = at;
        let tenant = self.ds.tenant(tenant).to_owned();
        let period = label(period);
        self.out.push(AlertCandidate {
            id: AlertCandidate::identity(rule, &tenant, subject, &period),
            rule,
            tenant,
            subject: subject.map(str::to_owned),
            period,
            severity,
            title,
            evidence,
        });
    }

    fn evidence(&self, mut events: Vec<&Event>, figures: Vec<(&str, String)>) -> Evidence {
        events.sort_by_key(|e| std::cmp::Reverse(e.at));
        let total = u32::try_from(events.len()).unwrap_or(u32::MAX);
        Evidence {
            figures: figures
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            events: events
                .into_iter()
                .take(EVIDENCE_EVENTS)
                .map(|e| describe(self.ds, e))
                .collect(),
            total_events: total,
        }
    }

    fn is_deliverability(&mut self, category: Sym) -> bool {
        let ds = self.ds;
        *self.deliverability.entry(category).or_insert_with(|| {
            ds.resolve(category)
                .to_ascii_lowercase()
                .contains("deliverability")
        })
    }

    fn impact(&mut self, sym: Sym) -> crate::domain::RangeParse {
        self.cache.get(&self.ds.strings, sym)
    }
}

/// One line of evidence: what the event said.
fn describe(ds: &Dataset, e: &Event) -> EvidenceEvent {
    let s = |sym| ds.shown(sym);
    let summary = match &e.details {
        Details::Revenue(r) => format!(
            "{} · {} · impact {} · priority {}",
            s(r.signal),
            s(r.category),
            s(r.impact),
            r.priority.map_or("—", Priority::name)
        ),
        Details::Cost(c) => format!(
            "{} · savings {} · {} · review {}",
            s(c.optimization),
            s(c.savings),
            s(c.vendor),
            c.review_required
                .map_or("—", |b| if b { "required" } else { "not required" })
        ),
        Details::Decision(d) => format!(
            "{} · {} level · outcome {} · review {}",
            s(d.category),
            s(d.maker_level),
            s(d.outcome),
            s(d.timeframe)
        ),
    };
    EvidenceEvent {
        uuid: e.uuid_string(),
        date: date_of(e.at),
        event: e.kind().event_name().to_owned(),
        summary,
    }
}

pub fn evaluate(
    ds: &Dataset,
    today: NaiveDate,
    dead_band: f64,
    cfg: &AlertConfig,
) -> Vec<AlertCandidate> {
    let mut ctx = Ctx {
        ds,
        today,
        dead_band,
        cfg,
        cache: RangeCache::default(),
        deliverability: FxHashMap::default(),
        out: Vec::new(),
    };
    let months = [
        PeriodSpec::ThisMonth.resolve(today),
        PeriodSpec::LastMonth.resolve(today),
    ];
    let quarters = [
        PeriodSpec::ThisQuarter.resolve(today),
        PeriodSpec::LastQuarter.resolve(today),
    ];
    for m in &months {
        deliverability_trend(&mut ctx, m);
        cost_opportunity(&mut ctx, m);
        decision_review_due(&mut ctx, m);
        custom_event(&mut ctx, m);
    }
    for q in &quarters {
        revenue_pattern(&mut ctx, q);
        cost_roi(&mut ctx, q);
        planning_insight(&mut ctx, q);
        vendor_trend(&mut ctx, q);
    }
    ctx.out
}

/// A tenant's deliverability signals rise month over month, or a high/critical one arrives.
fn deliverability_trend(ctx: &mut Ctx, month: &Period) {
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
fn cost_opportunity(ctx: &mut Ctx, month: &Period) {
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
fn decision_review_due(ctx: &mut Ctx, month: &Period) {
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
        let made = e.tracked_date().or_else(|| date_of(e.at));
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
fn custom_event(ctx: &mut Ctx, month: &Period) {
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
                    date: date_of(*t),
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

/// Revenue-protection signals in two or more months of the quarter, or a large impact.
fn revenue_pattern(ctx: &mut Ctx, quarter: &Period) {
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
        if let Some(d) = date_of(e.at) {
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
fn cost_roi(ctx: &mut Ctx, quarter: &Period) {
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
fn planning_insight(ctx: &mut Ctx, quarter: &Period) {
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
        let mix: Vec<String> = crate::engine::series::ranked(&categories)
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
fn vendor_trend(ctx: &mut Ctx, quarter: &Period) {
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
