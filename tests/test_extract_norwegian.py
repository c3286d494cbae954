"""Norwegian (Bokmål): the extractor on the self-written texts of tests/data/extraction-no.

The texts are not real pages (tests/data/extraction-no/README.md): citynet's developers wrote them,
restating rows of ../shared/data/urbact-pages/networks_from_pages.csv. The expected values below are
written by hand from those rows and the texts; GeoNames ids as graph/places.yaml and the imported
EVUE rows give them (Oslo 3143244, City of Westminster 2634341, Notodden 3144075, Leoben 2772649).
"""

from __future__ import annotations

import pytest

from citynet.extract.model import Document
from citynet.extract.numberwords import number_words
from citynet.extract.pipeline import Extractor
from citynet.extract.roles import find_lead_cues
from citynet.sources.model import Network
from tests.conftest import ROOT

TEXTS = ROOT / "tests" / "data" / "extraction-no"
OSLO, WESTMINSTER, NOTODDEN, LEOBEN, LONDON = 3143244, 2634341, 3144075, 2772649, 2643743


def propose(extractor: Extractor, name: str) -> dict[str, Network]:
    """The networks proposed from one of the texts, by id."""
    text = (TEXTS / name).read_text(encoding="utf-8")
    return {n.id: n for n in extractor.propose(Document(text, "no", "0" * 64, "text/plain"))}


def members(network: Network) -> dict[int | None, str]:
    return {m.geonames: m.role for m in network.members}


@pytest.mark.slow
def test_the_programme_page_gives_westminster_as_lead_and_oslo_as_partner(extractor: Extractor) -> None:
    """ "Leadpartner: Westminster (London)"; Oslo is "norsk prosjekteier", a partner (the interreg.no row)."""
    evue = propose(extractor, "02_no_prosjektbank_evue.txt")["evue"]
    found = members(evue)
    assert found[WESTMINSTER] == "lead-partner"
    assert found[OSLO] == "partner"
    assert [m.geonames for m in evue.members if m.role == "lead-partner"] == [WESTMINSTER]
    assert (evue.start.text, evue.end.text) == ("2009-12-11", "2012-12-31")


@pytest.mark.slow
def test_the_notodden_text_names_no_lead_and_gives_twelve_members(extractor: Extractor) -> None:
    """The Notodden text says who takes part in OP-ACT, not who leads: Leoben (the row's lead) is a
    partner there; "tolv byer fra ti land"."""
    op_act = propose(extractor, "03_no_notodden_op_act.txt")["op-act"]
    assert not [m for m in op_act.members if m.role == "lead-partner"]
    assert members(op_act)[NOTODDEN] == "partner"
    assert members(op_act)[LEOBEN] == "partner"
    assert (op_act.declared.partners, op_act.declared.countries) == (12, 10)


@pytest.mark.slow
def test_the_oslo_text_proposes_evue_ii_beside_evue(extractor: Extractor) -> None:
    """Oslo is a partner of EVUE II (1 December 2013 to 31 March 2015, the urbact.eu row), led by
    Westminster "i London" (London is where Westminster lies, no member)."""
    evue_ii = propose(extractor, "01_no_oslo_evue_ii.txt")["evue-ii"]
    assert members(evue_ii)[OSLO] == "partner"
    assert members(evue_ii)[WESTMINSTER] == "lead-partner"
    assert LONDON not in members(evue_ii)


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Nettverket ledes av Westminster.", "ledes av"),
        ("Prosjektet ble ledet av Leoben i Østerrike.", "ledet av"),
        ("Notodden er hovedpartner i nettverket.", "hovedpartner"),
        ("Leadpartner: Westminster", "Leadpartner"),
        ("Westminster ledet nettverket fra 2009.", "ledet nettverket"),
    ],
)
def test_norwegian_lead_cues(sentence: str, cue: str) -> None:
    assert [c.quote for c in find_lead_cues(sentence, "no") if c.rule.endswith(":lead")] == [cue]


def test_norwegian_project_owner_is_no_lead_cue() -> None:
    """A Norwegian "prosjekteier" owns the Norwegian part of a project, which another partner may lead."""
    assert find_lead_cues("Norsk prosjekteier: Oslo kommune", "no") == []


def test_norwegian_number_words() -> None:
    words = number_words("no")
    assert (words["tolv"], words["ti"], words["seks"], words["syv"]) == (12, 10, 6, 7)
