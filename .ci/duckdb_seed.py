"""DuckDB running the seed's two queries straight from an events file, for .ci/bench.

The yardstick of issue 15: what a general analytical engine takes to answer the
seed's strategic performance summary (90 days, active subscriptions) and its cost
optimization tracking (this quarter) from the same JSON Lines file bearing reads.
Usage: python3 duckdb_seed.py EVENTS.jsonl SUBSCRIPTIONS.jsonl TODAY
Prints the row counts of both answers (so a run that read nothing is seen).
"""

import sys

import duckdb


def main() -> None:
    events, subscriptions, today = sys.argv[1], sys.argv[2], sys.argv[3]
    con = duckdb.connect()
    # Properties read as text, as PostHog's JSON properties are: a tracker may send
    # "true", true or 1 for the same flag.
    con.execute(
        f"""
        CREATE VIEW events AS
        SELECT event, CAST(timestamp AS TIMESTAMP) AS timestamp,
               properties->>'tenant_id' AS tenant_id,
               properties->>'optimization_type' AS optimization_type,
               properties->>'approximate_savings_range' AS approximate_savings_range,
               properties->>'strategic_review_required' AS strategic_review_required
        FROM read_json('{events}', format = 'newline_delimited',
                       columns = {{event: 'VARCHAR', timestamp: 'VARCHAR', properties: 'JSON'}},
                       ignore_errors = true)
        """
    )
    con.execute(
        f"""
        CREATE VIEW subscriptions AS
        SELECT * FROM read_json('{subscriptions}', format = 'newline_delimited',
                                ignore_errors = true)
        """
    )
    summary = con.execute(
        f"""
        WITH strategic_metrics AS (
          SELECT tenant_id,
            COUNT(CASE WHEN event = 'revenue_protection_trend' THEN 1 END) AS revenue_trends_identified,
            COUNT(CASE WHEN event = 'cost_optimization_trend' THEN 1 END) AS cost_optimization_trends,
            COUNT(CASE WHEN event = 'strategic_decision_summary' THEN 1 END) AS strategic_decisions_tracked
          FROM events
          WHERE timestamp >= DATE '{today}' - INTERVAL 90 DAY
            AND tenant_id IN (SELECT tenant_id FROM subscriptions WHERE status = 'active')
          GROUP BY tenant_id
        )
        SELECT sm.*, s.plan_name, s.current_period_start,
          CASE
            WHEN revenue_trends_identified + cost_optimization_trends + strategic_decisions_tracked > 10
              THEN 'High Strategic Activity'
            WHEN revenue_trends_identified + cost_optimization_trends + strategic_decisions_tracked > 5
              THEN 'Moderate Strategic Activity'
            ELSE 'Low Strategic Activity'
          END AS strategic_activity_level
        FROM strategic_metrics sm JOIN subscriptions s ON s.tenant_id = sm.tenant_id
        WHERE s.status = 'active'
        ORDER BY strategic_activity_level DESC
        """
    ).fetchall()
    cost = con.execute(
        f"""
        SELECT tenant_id, optimization_type,
          COUNT(*) AS optimization_opportunities_identified,
          AVG(CASE WHEN approximate_savings_range LIKE '%500%' THEN 500
                   WHEN approximate_savings_range LIKE '%1000%' THEN 1000
                   WHEN approximate_savings_range LIKE '%2000%' THEN 2000
                   ELSE 250 END) AS avg_savings_estimate,
          COUNT(CASE WHEN strategic_review_required IN ('true', '1') THEN 1 END) AS reviews_required
        FROM events
        WHERE event = 'cost_optimization_trend'
          AND timestamp >= date_trunc('quarter', DATE '{today}')
        GROUP BY tenant_id, optimization_type
        ORDER BY optimization_opportunities_identified DESC
        """
    ).fetchall()
    print(f"duckdb rows: summary {len(summary)}, cost {len(cost)}")


if __name__ == "__main__":
    main()
