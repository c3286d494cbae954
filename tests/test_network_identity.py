"""One network, one IRI across sources (issue 17 point 7), on the real keep.eu URBACT III extract.

keep.eu writes "URBinclusion" (lead partner Barcelona); Kraków's page writes "URB-INCLUSION" and
names no lead partner, listing Barcelona among the partners. The import gives keep.eu's project the
seed's id, says so in the review list, and ``conflicts`` shows Barcelona's role as the two claim it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from citynet import api

from .conftest import ROOT, copy_project, invoke

KEEP = ROOT.parent / "shared" / "data" / "keep-eu"
BARCELONA = "https://w3id.org/citynet/id/membership/urb-inclusion/city/3128760"
ROLE = "https://w3id.org/citynet/vocab/role/"

pytestmark = pytest.mark.skipif(not KEEP.is_dir(), reason="needs ../shared/data/keep-eu")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("identity"))
    files = [str(KEEP / "keep_urbact3_partnerships.csv"), str(KEEP / "keep_urbact3_projects_budgets.csv")]
    result = invoke("import", "keep-eu", *files, "--project", str(root))
    assert result.returncode == 0, result.stderr
    return root


def test_keep_eu_urbinclusion_takes_the_seed_id(imported: Path) -> None:
    text = (imported / "graph" / "imported" / "keep-urbact3.yaml").read_text(encoding="utf-8")
    assert "\n  - id: urb-inclusion\n" in text
    assert "id: urbinclusion\n" not in text


def test_the_match_is_in_the_review_list(imported: Path) -> None:
    review = (imported / "graph" / "imported" / "keep-urbact3.unresolved.csv").open(encoding="utf-8")
    issues = [line["issue"] for line in csv.DictReader(review) if line["issue"].startswith("same network")]
    assert len(issues) == 1
    assert issues[0].startswith(
        "same network as urb-inclusion of source krakow-urb-inclusion: acronym URBinclusion = URB-INCLUSION, "
        "programme urbact-iii, "
    )


def test_conflicts_shows_barcelonas_role(imported: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    api.load(imported, store)
    rows = api.query("conflicts", store_dir=store)
    roles = {
        frozenset({(r["value1"], r["claimedBy1"]), (r["value2"], r["claimedBy2"])})
        for r in rows
        if r["subject"] == BARCELONA and r["property"] == "role"
    }
    assert roles == {
        frozenset(
            {
                (ROLE + "lead-partner", "source/keep-urbact3"),
                (ROLE + "partner", "source/krakow-urb-inclusion"),
            }
        )
    }


def test_a_note_on_when_a_partner_left_is_not_its_name(imported: Path) -> None:
    """keep.eu: "REFILL;Athens 'Until the end of Phase 1';No;...;Athens;Greece": the City of Athens."""
    text = (imported / "graph" / "imported" / "keep-urbact3.yaml").read_text(encoding="utf-8")
    athens = [line for line in text.splitlines() if "Until the end of Phase 1" in line]
    assert len(athens) == 1
    assert athens[0].strip().startswith("- {city: Athens, written: Athens, country: GR, geonames: 264371,")
    assert "status: {en: Until the end of Phase 1}" in athens[0]
