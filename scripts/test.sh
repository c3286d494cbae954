#!/usr/bin/env bash
# Set up and run the checks: ruff, then the test suite (unit, doctests, CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/pytest "$@"
