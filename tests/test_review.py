"""``citynet review`` and ``citynet review accept`` on a proposal written by hand from a real page.

The page is ../shared/seeds/002 (Daugavpils city council, Latvian, on "Cities of change"): Poznań's
council is the coordinator ("Projekta koordinators: Poznaņas pašvaldība"), the page is Daugavpils'
own, "14 partneri no 11 valstīm", "No 2013.gada jūnija līdz 2015.gada 31.maijam", "EUR 99 000".
The proposal's offsets are found by searching the page's text here. The test project records, by
hand, the network with its budget and Poznań as a mere partner: so the network and its budget are
already in the graph, Poznań's lead is a conflict, Daugavpils, the counts and the dates are new.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from citynet import api
from citynet.errors import FactError, ReviewError
from citynet.review.decisions import Decisions, choose_facts
from citynet.review.page import render_page
from citynet.review.proposal import Fact, Proposal, read_proposal
from citynet.review.status import CONFLICT, KNOWN, NEW, Recorded, Status, judge_proposal
from citynet.sources.yamlfile import read_yaml
from citynet.store.embedded import EmbeddedStore
from tests.conftest import SHARED

from .browser import offline_page
from .conftest import SEEDS, invoke

SEED = SHARED / "seeds" / "002_c00e98cb05310237.txt"
ID = "daugavpils-lv-cities-of-change"
TITLE = "Cities of change \N{EN DASH} cooperation of cities in the field of city development"  # as the page

# What the graph records before the review (written for this test; the real page names Poznań as
# coordinator, so the recorded "partner" is there to be contradicted).
RECORDED = """source: daugavpils-cities-of-change
networks:
  - id: cities-of-change
    names: [{text: Cities of change, lang: en}]
    budget: {value: 99000, currency: EUR}
    members:
      - {city: Poznań, country: PL, role: partner}
"""


def need_shared() -> None:
    if not SEED.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {SEED} is missing")
        pytest.skip(f"needs {SEED} (../shared beside the checkout, or CITYNET_SHARED)")


def find(text: str, quote: str, field: str, rule: str, confidence: float = 0.9) -> dict[str, Any]:
    """An evidence entry for the first occurrence of ``quote`` in ``text``."""
    start = text.index(quote)
    return {"field": field, "quote": quote, "start": start, "end": start + len(quote), "rule": rule,
            "confidence": confidence}  # fmt: skip


def make_proposal(text: str, sha256: str) -> dict[str, Any]:
    """The proposal a perfect extractor would write for the page (by hand, from reading it)."""
    title = TITLE
    network = {
        "id": "cities-of-change",
        "names": [{"text": title, "lang": "en"}],
        "budget": {"value": 99000, "currency": "EUR"},
        "declared": {"partners": 14, "countries": 11},
        "start": "2013-06",
        "end": "2015-05-31",
        "evidence": [
            find(text, title, "names", "registry:name", 0.95),
            find(text, "EUR 99 000", "budget", "money:eur"),
            find(text, "14 partneri", "declared.partners", "count:lv"),
            find(text, "11 valstīm", "declared.countries", "count:lv"),
            find(text, "No 2013.gada jūnija līdz 2015.gada 31.maijam", "start", "period:lv"),
            find(text, "2015.gada 31.maijam", "end", "date:lv"),
        ],
        "members": [
            {"city": "Poznań", "written": "Poznaņas", "country": "PL", "role": "lead-partner",
             "geonames": 3088171, "evidence": [
                 find(text, "Poznaņas", "member", "gazetteer:lemma"),
                 find(text, "Projekta koordinators:\n\nPoznaņas pašvaldība", "role", "cue:lv:koordinators"),
             ]},
            {"city": "Daugavpils", "written": "Daugavpilī", "country": "LV", "role": "partner",
             "geonames": 460413, "evidence": [find(text, "Daugavpilī", "member", "gazetteer:lemma")]},
        ],
    }  # fmt: skip
    source = {"id": ID, "title": TITLE,
              "language": "lv", "publisher": "Daugavpils pilsētas dome",
              "url": "https://www.daugavpils.lv/cities-of-change", "retrieved": "2026-12-05",
              "sha256": sha256, "text": f"{ID}.txt"}  # fmt: skip
    return {"source": source, "networks": [network]}


def make_project(target: Path) -> Path:
    """The seeds project with the hand-written record above and the proposal in graph/proposed/."""
    need_shared()
    shutil.copytree(SEEDS, target)
    (target / "graph" / "daugavpils-cities-of-change.yaml").write_text(RECORDED, encoding="utf-8")
    data = SEED.read_bytes()
    text = data.decode("utf-8")
    proposed = target / "graph" / "proposed"
    proposed.mkdir()
    proposal = make_proposal(text, hashlib.sha256(data).hexdigest())
    (proposed / f"{ID}.yaml").write_text(json.dumps(proposal, ensure_ascii=False, indent=1), encoding="utf-8")
    (proposed / f"{ID}.txt").write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project and its loaded store, read by every test (each accept works on a copy)."""
    project = make_project(tmp_path_factory.mktemp("review") / "project")
    store = project.parent / "store"
    api.load(project, store)
    return project, store


@pytest.fixture
def project(recorded: tuple[Path, Path], tmp_path: Path) -> Path:
    """A fresh copy of the project, for a test that writes into graph/."""
    return Path(shutil.copytree(recorded[0], tmp_path / "project"))


def decide_with(project: Path, decisions: dict[str, Any] | str, store: Path) -> Any:
    """Write a decisions file and run ``citynet review accept`` with it."""
    path = project / "decisions.json"
    sha = read_yaml(project / "graph" / "proposed" / f"{ID}.yaml")["source"]["sha256"]
    body = decisions if isinstance(decisions, str) else json.dumps({"source": ID, "sha256": sha, **decisions})
    path.write_text(body, encoding="utf-8")
    return invoke("review", "accept", ID, "--decisions", str(path), "--project", str(project), store=store)


def read_accepted(project: Path) -> dict[str, Any]:
    return read_yaml(project / "graph" / f"{ID}.yaml")


def member_names(accepted: dict[str, Any]) -> list[str]:
    return [m["city"] for n in accepted.get("networks", []) for m in n.get("members", [])]


# --- what the store says of each fact ------------------------------------------------------------


def test_each_fact_is_new_known_or_conflicting(recorded: tuple[Path, Path]) -> None:
    project, store = recorded
    statuses = judge_proposal(EmbeddedStore.open(store), read_proposal(project / "graph", ID))
    assert {key: s.state for key, s in statuses.items()} == {
        "networks[0]": KNOWN,
        "networks[0].budget": KNOWN,
        "networks[0].declared": NEW,
        "networks[0].start": NEW,
        "networks[0].end": NEW,
        "networks[0].members[0]": CONFLICT,
        "networks[0].members[1]": NEW,
    }
    poznan = statuses["networks[0].members[0]"].recorded
    assert poznan == [Recorded("partner", "daugavpils-cities-of-change", TITLE, None)]  # graph/sources.yaml


# --- the page, as HTML ---------------------------------------------------------------------------


def test_review_writes_a_page_per_proposal(recorded: tuple[Path, Path], tmp_path: Path) -> None:
    project, store = recorded
    result = invoke("review", "-o", str(tmp_path / "pages"), "--project", str(project), store=store)
    assert result.returncode == 0, result.stderr
    page = tmp_path / "pages" / f"{ID}.html"
    assert result.stdout == f"Wrote {page}: 4 new, 2 already in the graph, 1 conflicting\n"
    html = page.read_text(encoding="utf-8")
    assert html.count("<mark ") == 10  # 9 quotes; the period holds the end (2 marks), the role the member (3)
    assert re.findall(r'(?:src|href)="([^"]*)"', html) == ["https://www.daugavpils.lv/cities-of-change"]


def test_overlapping_evidence_is_cut_into_marks_of_every_fact() -> None:
    text = "No 2013.gada jūnija līdz 2015.gada 31.maijam"
    start = {"field": "start", "quote": text, "start": 0, "end": len(text), "rule": "r", "confidence": 1}
    end = {"field": "end", "quote": text[25:], "start": 25, "end": len(text), "rule": "r", "confidence": 1}
    facts = [Fact("networks[0].start", "field", "2013-06", [start], "networks[0]", "start"),
             Fact("networks[0].end", "field", "2015-05-31", [end], "networks[0]", "end")]  # fmt: skip
    proposal = Proposal("p", Path("p.yaml"), {"source": {"id": "p", "sha256": "0" * 64}}, text, facts)
    html = render_page(proposal, {f.key: Status(NEW) for f in facts})
    assert '<mark data-facts="f0" id="at-f0">No 2013.gada jūnija līdz </mark>' in html
    assert '<mark data-facts="f0 f1" class="multi" id="at-f1">2015.gada 31.maijam</mark>' in html


def test_every_string_from_the_source_is_escaped_and_only_http_links(tmp_path: Path) -> None:
    text = 'Partner: <img src=x onerror="alert(1)"> & Rīga'
    quote = {
        "field": "member",
        "quote": text[9:],
        "start": 9,
        "end": len(text),
        "rule": "<b>r</b>",
        "confidence": 1,
    }
    member = {"city": "<script>alert(2)</script>", "country": "LV", "role": "partner"}
    facts = [Fact("networks[0].members[0]", "member", member, [quote], "networks[0]")]
    source = {
        "id": "p",
        "sha256": "0" * 64,
        "title": "</title><script>alert(3)</script>",
        "url": "javascript:alert(4)",
    }
    recorded = [Recorded("lead-partner", "s", "<i>t</i>", "javascript:alert(5)")]
    html = render_page(
        Proposal("p", Path("p.yaml"), {"source": source}, text, facts),
        {facts[0].key: Status(CONFLICT, recorded)},
    )
    for raw in ("<img", "<script>alert", "<b>r</b>", "<i>t</i>", 'href="javascript'):
        assert raw not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; Rīga" in html
    assert "javascript:alert(4)" in html  # shown as text, not a link


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", ID, "nope"],
         'no proposal "nope": {graph}/proposed/nope.yaml does not exist - run citynet extract first'),
        (["review", "accept", ID, "--decisions", "missing.json"],
         "missing.json: no such decisions file - save it from the review page"),
        (["review", "accept", "Not An Id"],
         '"Not An Id" is not a proposal id - expected a lower-case id like "my-page"'),
    ],
    ids=["unknown-id", "no-decisions-file", "bad-id"],
)  # fmt: skip
def test_a_wrong_id_or_file_is_one_line_and_writes_nothing(
    project: Path, recorded: tuple[Path, Path], args: list[str], message: str
) -> None:
    result = invoke(*args, "--project", str(project), store=recorded[1], cwd=project)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"Error: {message.format(graph=project / 'graph')}\n"
    assert sorted(p.name for p in (project / "graph" / "proposed").iterdir()) == [f"{ID}.txt", f"{ID}.yaml"]
    assert not (project / "graph" / f"{ID}.yaml").exists()


def test_a_source_id_the_register_has_is_refused(project: Path, recorded: tuple[Path, Path]) -> None:
    with (project / "graph" / "sources.yaml").open("a", encoding="utf-8") as register:
        register.write(f"  - {{id: {ID}, title: Already here, language: lv}}\n")
    with pytest.raises(ReviewError, match=f"source '{ID}' is already in .*sources.yaml - extract the page"):
        api.review_accept(ID, store_dir=recorded[1], root=project)
    assert not (project / "graph" / f"{ID}.yaml").exists()


def test_offsets_count_every_character_of_the_kept_text(tmp_path: Path) -> None:
    """A page with Windows line ends: the text is read as written, "\\r\\n" two characters."""
    proposed = tmp_path / "graph" / "proposed"
    proposed.mkdir(parents=True)
    (proposed / "p.txt").write_bytes("Rīga\r\nCēsis".encode())
    member = {
        "city": "Cēsis",
        "role": "partner",
        "evidence": [{"field": "member", "quote": "Cēsis", "start": 6, "end": 11}],
    }
    data = {
        "source": {"id": "p", "text": "p.txt"},
        "networks": [{"id": "n", "names": [], "members": [member]}],
    }
    (proposed / "p.yaml").write_text(json.dumps(data), encoding="utf-8")
    assert read_proposal(tmp_path / "graph", "p").text[6:11] == "Cēsis"


# --- decisions applied -----------------------------------------------------------------------------


def test_without_decisions_every_new_fact_is_accepted(project: Path, recorded: tuple[Path, Path]) -> None:
    result = invoke("review", "accept", ID, "--project", str(project), store=recorded[1])
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"Wrote {project / 'graph' / ID}.yaml and {ID}.txt: 4 facts accepted, 2 already in the graph, "
        "1 rejected or undecided\n"
    )
    accepted = read_accepted(project)
    network = accepted["networks"][0]
    assert member_names(accepted) == ["Daugavpils"]  # Poznań's lead conflicts: only its own accept writes it
    assert "budget" not in network  # already in the graph
    assert (network["declared"], network["start"], network["end"]) == (
        {"partners": 14, "countries": 11},
        "2013-06",
        "2015-05-31",
    )
    period = "No 2013.gada jūnija līdz 2015.gada 31.maijam"
    assert [e["quote"] for e in network["evidence"]] == ["14 partneri", "11 valstīm", period, period[25:]]
    assert network["members"][0]["evidence"][0]["quote"] == "Daugavpilī"
    assert (
        accepted["source"]["text"] == f"{ID}.txt"
        and accepted["source"]["sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    )
    text = (project / "graph" / f"{ID}.txt").read_text(encoding="utf-8")
    quote = network["members"][0]["evidence"][0]
    assert text[quote["start"] : quote["end"]] == "Daugavpilī"
    assert (project / "graph" / "proposed" / f"{ID}.yaml").is_file()  # the proposal stays


@pytest.mark.parametrize(
    ("decisions", "members", "fields"),
    [
        ({"decision": None, "facts": {"networks[0].start": "accept"}}, [], ["start"]),
        ({"decision": "reject", "facts": {"networks[0].members[1]": "accept"}}, ["Daugavpils"], []),
        ({"decision": "accept", "facts": {"networks[0].end": "reject"}}, ["Daugavpils"],
         ["declared", "start"]),
        ({"decision": "accept", "facts": {"networks[0].members[0]": "accept"}}, ["Poznań", "Daugavpils"],
         ["declared", "start", "end"]),
        ({"decision": None, "facts": {"networks[0].budget": "accept", "networks[0].members[1]": "accept"}},
         ["Daugavpils"], []),  # the budget is in the graph already: not written again
    ],
    ids=["fact-accept", "source-reject-fact-accept", "source-accept-fact-reject", "conflict-accepted",
         "known"],
)  # fmt: skip
def test_decisions_per_fact_and_per_source(
    project: Path, recorded: tuple[Path, Path], decisions: dict, members: list[str], fields: list[str]
) -> None:
    result = decide_with(project, decisions, recorded[1])
    assert result.returncode == 0, result.stderr
    network = read_accepted(project)["networks"][0]
    assert member_names(read_accepted(project)) == members
    assert [k for k in network if k not in ("id", "names", "evidence", "members")] == fields


def test_rejecting_everything_writes_nothing(project: Path, recorded: tuple[Path, Path]) -> None:
    result = decide_with(project, {"decision": "reject", "facts": {}}, recorded[1])
    assert (result.returncode, result.stdout) == (
        0,
        f"Nothing accepted from {ID}: no file written (2 already in the graph)\n",
    )
    assert not (project / "graph" / f"{ID}.yaml").exists()


def test_a_new_network_rejected_takes_its_members_along() -> None:
    facts = [
        Fact("networks[0]", "network", {}),
        Fact("networks[0].members[0]", "member", {}, [], "networks[0]"),
    ]
    proposal = Proposal("p", Path("p.yaml"), {}, "", facts)
    statuses = {f.key: Status(NEW) for f in facts}
    decisions = Decisions("p", "", None, {"networks[0]": "reject", "networks[0].members[0]": "accept"})
    assert choose_facts(proposal, statuses, decisions) == set()
    assert choose_facts(proposal, statuses, None) == {"networks[0]", "networks[0].members[0]"}


BAD = [
    ("{not json", "decisions.json:1: not JSON: Expecting property name enclosed in double quotes - "
                  "expected a decisions file"),
    ({"decision": "accept", "facts": {"networks[0].members[7]": "accept"}},
     "facts: unknown fact 'networks[0].members[7]'"),
    ({"decision": "maybe", "facts": {}}, "decision: 'maybe' - expected accept, reject or null"),
    ({"decision": "accept", "facts": {"networks[0]": "yes"}},
     "facts: networks[0]: 'yes' - expected accept or reject"),
]  # fmt: skip


@pytest.mark.parametrize(("decisions", "message"), BAD, ids=["json", "unknown-fact", "decision", "choice"])
def test_a_bad_decisions_file_is_one_line_and_writes_nothing(
    project: Path, recorded: tuple[Path, Path], decisions: Any, message: str
) -> None:
    result = decide_with(project, decisions, recorded[1])
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert sorted(p.name for p in (project / "graph").glob(f"{ID}*")) == []


def test_decisions_on_another_version_of_the_page_are_refused(
    project: Path, recorded: tuple[Path, Path]
) -> None:
    body = json.dumps({"source": ID, "sha256": "0" * 64, "decision": "accept", "facts": {}})
    result = decide_with(project, body, recorded[1])
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {project / 'decisions.json'}: sha256: '{'0' * 64}' is not the proposal's "
        f"'{hashlib.sha256(SEED.read_bytes()).hexdigest()}' - the proposal changed since the review;"
        " review it again\n"
    )
    assert not (project / "graph" / f"{ID}.yaml").exists()


def test_a_fact_file_it_did_not_write_is_never_replaced(project: Path, recorded: tuple[Path, Path]) -> None:
    mine = project / "graph" / f"{ID}.yaml"
    mine.write_text("# my own notes\n", encoding="utf-8")
    result = invoke("review", "accept", ID, "--project", str(project), store=recorded[1])
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {mine} exists and was not written by citynet review accept - move it away or extract"
        " the page again with another --source-id\n"
    )
    assert mine.read_text(encoding="utf-8") == "# my own notes\n"
    mine.unlink()
    first = invoke("review", "accept", ID, "--project", str(project), store=recorded[1])
    second = invoke("review", "accept", ID, "--project", str(project), store=recorded[1])
    assert (first.returncode, second.returncode) == (0, 0)  # its own file it replaces
    assert member_names(read_accepted(project)) == ["Daugavpils"]


def test_a_quote_that_is_not_the_text_is_refused(project: Path, recorded: tuple[Path, Path]) -> None:
    text_path = project / "graph" / "proposed" / f"{ID}.txt"
    text_path.write_text("x" + text_path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ReviewError, match=r"networks\[0\]\.evidence\[0\]: quote 'Cities of change"):
        api.review_accept(ID, store_dir=recorded[1], root=project)
    assert not (project / "graph" / f"{ID}.yaml").exists()


def load_and_ask_partners(project: Path) -> None:
    """``citynet load`` and ``citynet query partners``: Daugavpils accepted, Poznań as recorded before."""
    store = project.parent / "after"
    loaded = invoke("load", "--project", str(project), store=store)
    if loaded.returncode:  # the reader's one line, raised as the error it is
        raise FactError(loaded.stderr.strip(), "load")
    rows = api.query("partners", {"network": "cities-of-change"}, store_dir=store, root=project)
    assert [(r["label"], r["role"]) for r in rows] == [("Daugavpils", "partner"), ("Poznań", "partner")]


def test_an_accepted_proposal_loads_and_answers_partners(project: Path, recorded: tuple[Path, Path]) -> None:
    decisions = {"decision": "accept", "facts": {"networks[0].end": "reject"}}
    assert decide_with(project, decisions, recorded[1]).returncode == 0
    load_and_ask_partners(project)


# --- in Chromium ---------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("then_load", [False, True], ids=["accept", "load"])
def test_the_page_in_chromium_marks_decides_and_saves(
    project: Path, recorded: tuple[Path, Path], then_load: bool
) -> None:
    assert invoke("review", "--project", str(project), store=recorded[1]).returncode == 0
    saved = project / "saved.decisions.json"
    with offline_page() as (page, watch):
        page.goto((project / "graph" / "proposed" / f"{ID}.html").as_uri())
        page.wait_for_function("window.citynet && window.citynet.ready === true")
        assert page.locator("mark").count() == 10
        # words of two facts: the end date inside the period (Poznaņas is twice the same fact's)
        assert page.locator("mark.multi").all_inner_texts() == ["2015.gada 31.maijam"]
        states = {
            f.get_attribute("data-key"): f.locator(".state").inner_text() for f in page.locator(".fact").all()
        }
        assert states["networks[0].members[0]"].lower() == "conflict"
        assert states["networks[0].members[1]"].lower() == "new"
        known = page.locator(".fact.state-known")
        assert known.count() == 2 and not known.first.is_visible()  # hidden until asked for
        page.check("#show-known")
        assert known.first.is_visible() and known.nth(1).is_visible()
        conflict = page.locator("[data-key='networks[0].members[0]'] .recorded").inner_text()
        assert "partner in source daugavpils-cities-of-change" in conflict and TITLE in conflict
        page.click("[data-key='networks[0].members[1]'] .what")
        assert page.locator("mark.active").all_inner_texts() == ["Daugavpilī"]
        page.focus("[data-key='networks[0].end']")
        page.keyboard.press("r")  # the keyboard rejects the end date
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Enter")  # and shows the start's words
        assert (
            "".join(page.locator("mark.active").all_inner_texts())
            == "No 2013.gada jūnija līdz 2015.gada 31.maijam"
        )
        page.click("#source-accept")
        decided = page.locator(".fact.decided-accept").evaluate_all("fs => fs.map(f => f.dataset.key)")
        assert decided == ["networks[0].declared", "networks[0].start", "networks[0].members[1]"]
        with page.expect_download() as download:
            page.click("#save")
        assert download.value.suggested_filename == f"{ID}.decisions.json"
        download.value.save_as(saved)
        assert (watch.errors, watch.outside, watch.dialogs) == ([], [], [])
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    decisions = {"source": ID, "sha256": sha, "decision": "accept", "facts": {"networks[0].end": "reject"}}
    assert json.loads(saved.read_text(encoding="utf-8")) == decisions
    result = invoke(
        "review", "accept", ID, "--decisions", str(saved), "--project", str(project), store=recorded[1]
    )
    assert result.returncode == 0, result.stderr
    network = read_accepted(project)["networks"][0]
    assert (member_names(read_accepted(project)), "end" in network, network["start"]) == (
        ["Daugavpils"],
        False,
        "2013-06",
    )
    if then_load:
        load_and_ask_partners(project)
