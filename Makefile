# make bench: generate synthetic data at 10k, 100k and 1M memberships and measure citynet's path
# beside raw pyoxigraph, rdflib and the Oxigraph server; writes docs/benchmarks.md.
.PHONY: bench bench-smoke bench-real bench-analyze bench-publish bench-extract bench-site bundle test

bench:
	bash scripts/setup.sh
	.venv/bin/python bench/run.py --sizes bundled,10000,100000,1000000 --runs 5 --report docs/benchmarks.md
	.venv/bin/python bench/realdata.py --report docs/benchmarks-real.md
	.venv/bin/python bench/publish_scale.py --memberships 100000 --report docs/benchmarks-publish.md
	.venv/bin/python bench/extract_speed.py --report docs/benchmarks-extract.md
	.venv/bin/python bench/site_speed.py --memberships 100000 --report docs/benchmarks-site.md

# citynet extract: start-up and pages a second on ../shared's pages (goals of issue 19).
bench-extract:
	bash scripts/setup.sh
	.venv/bin/python bench/extract_speed.py --report docs/benchmarks-extract.md

# The site of the bundled graph and of 100k synthetic memberships in headless Chromium: time to
# interactive of the index, the map and the largest graph page, and their weight (goal: 2 s).
bench-site:
	bash scripts/setup.sh
	.venv/bin/python bench/site_speed.py --memberships 100000 --report docs/benchmarks-site.md

# citynet publish of the 100k-membership graph beside citynet dump of the same store.
bench-publish:
	bash scripts/setup.sh
	.venv/bin/python bench/publish_scale.py --memberships 100000 --report docs/benchmarks-publish.md

# The real keep.eu export (../shared/data/keep-eu) imported, loaded, queried, analysed, visualised.
bench-real:
	bash scripts/setup.sh
	.venv/bin/python bench/realdata.py --report docs/benchmarks-real.md

bench-smoke:
	bash scripts/setup.sh
	.venv/bin/python bench/run.py --sizes 10000 --runs 1 --report .bench/benchmarks-smoke.md

# citynet analyze at keep.eu's size (synthetic graph): seconds per metric, printed.
bench-analyze:
	bash scripts/setup.sh
	.venv/bin/python bench/analyze_scale.py --networkx-exact

test:
	bash scripts/test.sh

# The bundled graph's imports (graph/imported/), regenerated from ../shared: the URBACT network pages,
# then keep.eu's closed 2014-2020 projects (each import matches networks to those already there).
bundle:
	bash scripts/setup.sh
	.venv/bin/citynet import table ../shared/data/urbact-pages/networks_from_pages.csv --mapping graph/mappings/urbact-pages.yaml --project .
	.venv/bin/citynet import keep-eu ../shared/data/keep-eu/keep_closed_1420.xlsx --project .
