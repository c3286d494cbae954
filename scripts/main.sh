#!/usr/bin/env bash
# Set up, load the bundled graph (the seed pages, keep.eu's 2014-2020 projects, the URBACT network
# pages) into the embedded store, show the summary and an example query, and write the browsable site.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/citynet load
.venv/bin/citynet query partners --param network=REFILL
.venv/bin/citynet query city-networks --param city=Naples
.venv/bin/citynet visualize -o site
