#!/usr/bin/env python3
"""Makes sure tests/posthog_sim/.venv holds the simulator's pinned packages, and prints
the path of its Python on standard output.

    python3 tests/posthog_sim/ensure_venv.py

The first call on a machine creates the virtualenv and installs requirements.txt (about
a minute and 1 GB, mostly ClickHouse); later calls find the marker that names the exact
requirements installed and return at once. Several test binaries may call it at the same
time: an exclusive lock on tests/posthog_sim/.venv.lock lets one install while the
others wait, and they then find it ready. `cargo test` (tests/support/sim.rs) and
`.ci/run` both call this script, so the two can never disagree about what "installed"
means.
"""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv")
PYTHON = os.path.join(VENV, "bin", "python")
REQUIREMENTS = os.path.join(HERE, "requirements.txt")
MARKER = os.path.join(VENV, "bearing-requirements.sha256")
LOCK = os.path.join(HERE, ".venv.lock")


def wanted():
    with open(REQUIREMENTS, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def ready():
    """Installed, and from these very requirements."""
    try:
        with open(MARKER) as f:
            return f.read().strip() == wanted() and os.access(PYTHON, os.X_OK)
    except OSError:
        return False


def say(text):
    print(f"posthog simulator: {text}", file=sys.stderr, flush=True)


def install():
    started = time.monotonic()
    say(
        "creating its virtualenv in tests/posthog_sim/.venv and installing "
        "requirements.txt (once per checkout; about a minute and 1 GB)"
    )
    if os.path.exists(VENV):
        # Left half-made by an interrupted install, or made from other requirements.
        shutil.rmtree(VENV)
    subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run(
        [PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", REQUIREMENTS],
        check=True,
    )
    # The parser imports posthog.hogql.errors, which the simulator's folder stubs; run
    # the check from there, as the simulator itself runs.
    subprocess.run([PYTHON, "-c", "import hogql_parser, chdb"], cwd=HERE, check=True)
    tmp = MARKER + ".tmp"
    with open(tmp, "w") as f:
        f.write(wanted() + "\n")
    os.replace(tmp, MARKER)
    say(f"ready in {time.monotonic() - started:.0f} s")


def main():
    if not ready():
        with open(LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            # Another process may have installed it while this one waited.
            if not ready():
                try:
                    install()
                except (OSError, subprocess.CalledProcessError) as e:
                    say(f"could not install its requirements: {e}")
                    return 1
    print(PYTHON)
    return 0


if __name__ == "__main__":
    sys.exit(main())
