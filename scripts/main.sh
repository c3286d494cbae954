#!/usr/bin/env bash
# Set up, load the seed facts into the embedded store, show the summary and example queries, and
# write the browsable site (site/index.html).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/citynet load
.venv/bin/citynet query networks
.venv/bin/citynet query partners --param network=OP-ACT
.venv/bin/citynet visualize -o site
