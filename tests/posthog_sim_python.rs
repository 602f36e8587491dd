//! The PostHog simulator's own Python tests, run by `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/sim.rs"]
mod sim;
mod support;

/// The simulator's own tests (tests/posthog_sim/test_simulator.py, test_posthog_project.py),
/// each reproducing one thing PostHog does: unknown functions and wrong arities answered with
/// PostHog's message, NULL-safe comparisons, property text and types, conversions by type,
/// time zones, caching, execution limits, async statuses, throttling, duplicates.
#[test]
fn the_simulators_own_python_tests_pass() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/posthog_sim");
    let out = std::process::Command::new(sim::python())
        .args([
            "-B",
            "-m",
            "unittest",
            "-v",
            "test_simulator",
            "test_posthog_project",
        ])
        .current_dir(&dir)
        .output()
        .expect("run the simulator's Python tests");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "the simulator's Python tests failed:\n{report}"
    );
    // unittest exits 0 on Python 3.11 when it finds no tests at all.
    assert!(
        report.contains("\nOK") && !report.contains("Ran 0 tests"),
        "the simulator's Python tests did not run:\n{report}"
    );
}
