"""Commands that write files or folders never destroy what was there, nor what citynet didn't write.

Each command gets a decoy: a folder holding the user's ``thesis.txt``, which must survive byte for byte.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from citynet.errors import SiteError
from citynet.folders import SITE_MARKER, atomic_write, claim_folder, read_manifest, replace_folder

from .conftest import invoke

THESIS = b"My thesis, four years of work.\n"


def listing(folder: Path) -> dict[str, bytes | str]:
    """Every path under ``folder`` with its bytes, ``<dir>`` for folders."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else "<dir>"
        for p in sorted(folder.rglob("*"))
    }


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.fixture
def decoy(tmp_path: Path) -> Path:
    """A folder of the user's: ``thesis.txt``."""
    folder = tmp_path / "decoy"
    folder.mkdir()
    (folder / "thesis.txt").write_bytes(THESIS)
    return folder


# --- the helpers ---------------------------------------------------------------------------------


def test_atomic_write_creates_files_with_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "a.txt") as handle:
            handle.write(b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_atomic_write_refuses_a_folder(decoy: Path) -> None:
    with pytest.raises(IsADirectoryError), atomic_write(decoy) as handle:
        handle.write(b"x")
    assert listing(decoy) == {"thesis.txt": THESIS}


@pytest.mark.parametrize("make", ["missing", "empty", "site"])
def test_claim_accepts_a_new_an_empty_or_a_citynet_folder(tmp_path: Path, make: str) -> None:
    folder = tmp_path / "site"
    if make != "missing":
        folder.mkdir()
    if make == "site":
        (folder / "index.html").write_text("<p>")
        (folder / SITE_MARKER).write_text('{"citynet-site": 1, "files": ["index.html"]}')
    claim_folder(folder)


@pytest.mark.parametrize(
    ("files", "named"),
    [
        ({"thesis.txt": "mine"}, "thesis.txt"),
        ({"index.html": "<p>", "cities/krakow.html": "<p>"}, "cities/krakow.html, index.html"),  # no marker
        (
            {
                SITE_MARKER: '{"citynet-site": 1, "files": ["index.html"]}',
                "index.html": "<p>",
                "cities/mine.html": "<p>my page</p>",
            },
            "cities/mine.html",
        ),
    ],
)
def test_claim_refuses_files_citynet_did_not_write(tmp_path: Path, files: dict[str, str], named: str) -> None:
    folder = tmp_path / "site"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    before = listing(tmp_path)
    with pytest.raises(SiteError, match=f"holds files citynet did not write \\({named}\\)"):
        claim_folder(folder)
    assert listing(tmp_path) == before


def test_claim_refuses_a_file_and_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(SiteError, match="is not a folder citynet made"):
        claim_folder(tmp_path / "f")
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path / "empty")
    with pytest.raises(SiteError, match="is the current folder or holds it"):
        claim_folder(Path("."))
    with pytest.raises(SiteError, match="is the current folder or holds it"):
        claim_folder(Path(".."))


def test_replace_folder_keeps_the_previous_folder_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "site"
    with replace_folder(target) as staging:
        (staging / "index.html").write_text("first")
    before = listing(tmp_path)
    with pytest.raises(OSError, match="disk full"), replace_folder(target) as staging:
        (staging / "index.html").write_text("second, half")
        raise OSError(28, "disk full")
    assert listing(tmp_path) == before


def test_replace_folder_removes_pages_it_wrote_before_and_no_longer_writes(tmp_path: Path) -> None:
    target = tmp_path / "site"
    with replace_folder(target) as staging:
        (staging / "cities").mkdir()
        (staging / "cities" / "old.html").write_text("old")
        (staging / "index.html").write_text("first")
    with replace_folder(target) as staging:
        (staging / "index.html").write_text("second")
    assert listing(target) == {SITE_MARKER: (target / SITE_MARKER).read_bytes(), "index.html": b"second"}
    assert read_manifest(target) == ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_killed_runs_staging_is_removed_and_a_users_look_alike_kept(tmp_path: Path) -> None:
    stale = tmp_path / ".site.staging-99999"
    stale.mkdir()
    (stale / SITE_MARKER).write_text('{"citynet-site": 1, "files": []}')
    (stale / "index.html").write_text("half")
    users = tmp_path / ".site.staging-mine"
    users.mkdir()
    (users / "thesis.txt").write_bytes(THESIS)
    with replace_folder(tmp_path / "site") as staging:
        (staging / "index.html").write_text("new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.staging-mine", "site"]
    assert listing(users) == {"thesis.txt": THESIS}


# --- each command with a decoy -------------------------------------------------------------------


def test_visualize_into_a_decoy_touches_nothing(seed_store: Path, decoy: Path) -> None:
    line = one_error_line(invoke("visualize", "-o", str(decoy), store=seed_store))
    assert line == (
        f'Error: "{decoy}" holds files citynet did not write (thesis.txt) - nothing was changed; '
        f"move them out or give -o a new or empty folder"
    )
    assert listing(decoy) == {"thesis.txt": THESIS}


def test_visualize_keeps_a_users_page_in_its_site(seed_store: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert invoke("visualize", "-o", str(site), store=seed_store).returncode == 0
    (site / "cities" / "my-notes.html").write_bytes(THESIS)
    before = listing(tmp_path)
    line = one_error_line(invoke("visualize", "-o", str(site), store=seed_store))
    assert "(cities/my-notes.html)" in line
    assert listing(tmp_path) == before


def test_visualize_again_replaces_its_own_site(seed_store: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert invoke("visualize", "-o", str(site), store=seed_store).returncode == 0
    assert (site / "networks" / "rural.html").exists()
    # URBACT III only: RURAL stays (URBACT III), OP-ACT (URBACT II) goes.
    again = invoke("visualize", "--programme", "URBACT III", "-o", str(site), store=seed_store)
    assert again.returncode == 0, again.stderr
    assert (site / "networks" / "rural.html").exists()
    assert not (site / "networks" / "op-act.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert set(read_manifest(site) or []) == {
        str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and p.name != SITE_MARKER
    }


def test_visualize_failing_leaves_the_previous_site(seed_store: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert invoke("visualize", "-o", str(site), store=seed_store).returncode == 0
    before = listing(tmp_path)
    line = one_error_line(invoke("visualize", "--country", "Atlantis", "-o", str(site), store=seed_store))
    assert "Atlantis" in line
    assert listing(tmp_path) == before


def test_visualize_into_the_current_folder_is_refused(seed_store: Path, tmp_path: Path) -> None:
    line = one_error_line(invoke("visualize", "-o", ".", store=seed_store, cwd=tmp_path))
    assert line == 'Error: "." is the current folder or holds it - give -o a folder inside it'
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("fmt", "written"),
    [
        ("graphml", ["city.graphml"]),
        ("csv", ["city.edges.csv", "city.nodes.csv"]),
    ],
)
def test_export_into_a_decoy_adds_only_its_files(
    seed_store: Path, decoy: Path, fmt: str, written: list[str]
) -> None:
    name = "city.csv" if fmt == "csv" else "city.graphml"
    result = invoke("export", "city-city", "--format", fmt, "-o", str(decoy / name), store=seed_store)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in decoy.iterdir()) == sorted(["thesis.txt", *written])
    assert (decoy / "thesis.txt").read_bytes() == THESIS


def test_dump_into_a_decoy_adds_only_its_file(seed_store: Path, decoy: Path) -> None:
    result = invoke("dump", "-o", str(decoy / "all.trig"), store=seed_store)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in decoy.iterdir()) == ["all.trig", "thesis.txt"]
    assert (decoy / "thesis.txt").read_bytes() == THESIS


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs (root only; skipped otherwise): a seed export does not fit."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if done.returncode != 0:
        reason = f"cannot mount a tmpfs here: {done.stderr.decode().strip()}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.parametrize(("fmt", "name"), [("graphml", "b.graphml"), ("csv", "b.csv")])
def test_export_on_a_full_disk_keeps_the_previous_files(
    seed_store: Path, tiny_disk: Path, fmt: str, name: str
) -> None:
    for old in ("b.graphml", "b.nodes.csv", "b.edges.csv"):
        (tiny_disk / old).write_bytes(b"previous export\n")
    (tiny_disk / "filler").write_bytes(b"\0" * 40_000)
    before = listing(tiny_disk)
    line = one_error_line(
        invoke("export", "bipartite", "--format", fmt, "-o", str(tiny_disk / name), store=seed_store)
    )
    assert line.startswith(f'Error: cannot write "{tiny_disk / name}": No space left on device')
    assert listing(tiny_disk) == before


def test_analyze_on_a_full_disk_keeps_the_previous_csv(seed_store: Path, tiny_disk: Path) -> None:
    (tiny_disk / "metrics.csv").write_bytes(b"previous metrics\n")
    (tiny_disk / "filler").write_bytes(b"\0" * 60_000)
    before = listing(tiny_disk)
    target = tiny_disk / "metrics.csv"
    line = one_error_line(invoke("analyze", "-o", str(target), store=seed_store))
    assert line == f'Error: cannot write "{target}": No space left on device'
    assert listing(tiny_disk) == before


def test_analyze_into_a_decoy_adds_only_its_file(seed_store: Path, decoy: Path) -> None:
    invoke("analyze", "-o", str(decoy / "m.csv"), store=seed_store).check_returncode()
    assert sorted(p.name for p in decoy.iterdir()) == ["m.csv", "thesis.txt"]
    assert (decoy / "thesis.txt").read_bytes() == THESIS


def test_visualize_on_a_full_disk_keeps_the_previous_site(seed_store: Path, tiny_disk: Path) -> None:
    site = tiny_disk / "site"
    with replace_folder(site) as staging:
        (staging / "index.html").write_text("the previous site")
    before = listing(tiny_disk)
    line = one_error_line(invoke("visualize", "-o", str(site), store=seed_store))
    assert line == (
        f'Error: cannot write the site into "{site}": No space left on device - choose another folder with -o'
    )
    assert listing(tiny_disk) == before


def test_a_site_of_an_older_citynet_is_refused_with_a_hint(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for name in ("index.html", "lib/citynet.js", "lib/citynet.css", "cities/3094802.html"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("old")
    before = listing(tmp_path)
    with pytest.raises(SiteError, match=r"holds a site of an older citynet, without the marker \.citynet"):
        claim_folder(site)
    assert listing(tmp_path) == before
