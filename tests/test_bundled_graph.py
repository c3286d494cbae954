"""The bundled graph (issue 17 point 5): the seeds, keep.eu's closed 2014-2020 projects and the URBACT
network pages, as ``citynet load`` reads them from the checkout (``--project ROOT``).

Expected values are read by hand from the sources: keep.eu's URBACT III partnerships
(../shared/data/keep-eu/keep_urbact3_partnerships.csv) list "REFILL;Ghent;Yes" and
"2nd Chance;Naples;Yes"; the Daugavpils seed page names "Cities of change".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citynet import api

from .conftest import ROOT

pytestmark = pytest.mark.slow
ID = "https://w3id.org/citynet/id/"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("bundled") / "store"
    api.load(ROOT, store)
    return store


def test_refill_is_led_by_ghent(bundled: Path) -> None:
    rows = api.query("partners", {"network": "REFILL"}, store_dir=bundled)
    leads = [(row["member"], row["role"]) for row in rows if row["role"] == "lead partner"]
    assert leads == [(f"{ID}city/2797656", "lead partner")]  # Gent


def test_naples_leads_the_urbact_iii_network_2nd_chance(bundled: Path) -> None:
    rows = api.query("city-networks", {"city": "Naples"}, store_dir=bundled)
    assert {
        "network": f"{ID}network/2nd-chance",
        "role": "lead partner",
        "programme": "URBACT III",
    }.items() <= next(row for row in rows if row["network"] == f"{ID}network/2nd-chance").items()


def test_find_cities_of_change(bundled: Path) -> None:
    found = api.find("cities of change", store_dir=bundled)
    assert [f.id for f in found][:1] == ["network/cities-of-change"]


def test_every_source_is_attributed(bundled: Path) -> None:
    rows = api.sparql(
        "SELECT ?title ?rights WHERE { ?s a cn:Source ; dcterms:title ?title . "
        "OPTIONAL { ?s dcterms:rights ?rights } FILTER(CONTAINS(?title, 'keep.eu')) }",
        store_dir=bundled,
    )
    assert rows and all("keep.eu / Interact" in (row["rights"] or "") for row in rows)
