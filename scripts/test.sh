#!/usr/bin/env bash
# Set up and run the checks: ruff, then the test suite (unit, doctests, CLI, real SPARQL servers).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-test-servers.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/pytest -m "slow or not slow" -n 0 "$@"   # every test; a bare `pytest` leaves out the slow ones
