"""Reading documents for extraction: HTML, PDF and text into a Document, every bad input one line.

The HTML pages and texts here are written for the tests; PDFs are made at test time (printed by
headless Chromium, encrypted by pypdf, an image saved by Pillow, a truncated copy). The languages of
the 26 pages of ../shared/extraction-dev and the 5 seeds are those written by hand in its
``expected.yaml`` and in ``graph/sources.yaml``.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
import tracemalloc
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from pypdf import PdfWriter

from citynet.errors import ExtractError
from citynet.extract import language
from citynet.extract.reading import MAX_BYTES, read_document
from tests.conftest import SHARED

from .browser import FLAGS, find_chromium
from .conftest import ROOT

DEV = SHARED / "extraction-dev"
SEEDS = SHARED / "seeds"

# My own page: a headline, a paragraph, a table of partners, a closing paragraph; metadata in <head>.
TABLE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Gen-Y City: the partners meet in Poznań</title>
<meta property="og:site_name" content="Poznań City Hall">
<link rel="canonical" href="https://example.org/news/gen-y-city">
<meta property="article:published_time" content="2016-09-12">
<style>table {{ border-collapse: collapse }} td, th {{ border: 1px solid black; padding: 4px }}</style>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/contact">Contact</a></nav>
<article><h1>Gen-Y City: the partners meet in Poznań</h1>
<p>The URBACT network Gen-Y City brings together cities that want to attract and keep young
talent. Poznań leads the network, which runs from 2016 to 2018.</p>
<table><tr><th>City</th><th>Country</th><th>Role</th></tr>
<tr><td>Poznań</td><td>Poland</td><td>Lead partner</td></tr>
<tr><td>Granada</td><td>Spain</td><td>Partner</td></tr>
<tr><td>Daugavpils</td><td>Latvia</td><td>Partner</td></tr></table>
<p>Each partner writes an integrated action plan with its local group over the next two years{tail}.</p>
</article><footer>Poznań City Hall</footer></body></html>
"""
MENU_PAGE = """<!DOCTYPE html><html><head><title>Menu</title>
<script>var note = "a script is not the page's text, however long it is";</script></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li>
<li><a href="/contact">Contact</a></li></ul></nav><footer>2024</footer></body></html>
"""
POLISH = "Miasto Łódź jest liderem projektu, a partnerami są miasta Baena z Hiszpanii oraz Birmingham."
RUSSIAN = "Город Даугавпилс стал партнёром международного проекта вместе с другими городами Европы."
TURKISH = "Belediye meclisi, şehrin Avrupa projesine ortak olarak girmesine karar verdi ve proje başladı."


def need_shared(folder: Path) -> None:
    """Skip when ../shared is not checked out beside the project (fail in CI)."""
    if folder.is_dir():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {folder} is missing")
    pytest.skip(f"needs {folder} (the shared extraction data beside the checkout)")


def dev_languages() -> list[tuple[Path, str, str | None]]:
    """(file, language, url) of every page of ../shared/extraction-dev and every seed."""
    if not DEV.is_dir() or not SEEDS.is_dir():
        return []
    pages = yaml.safe_load((DEV / "expected.yaml").read_text(encoding="utf-8"))
    register = yaml.safe_load((ROOT / "graph" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    found = [(DEV / page["file"], page["language"], page["url"]) for page in pages]
    found += [(SEEDS / entry["seed"], entry["language"], None) for entry in register if "seed" in entry]
    return found


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def refused(path: Path, match: str, **options: str) -> None:
    """read_document refuses the file with one line matching ``match``, leaving its folder as it was."""
    before = sorted(path.parent.iterdir())
    with pytest.raises(ExtractError, match=match) as caught:
        read_document(path, **options)
    assert "\n" not in str(caught.value)
    assert sorted(path.parent.iterdir()) == before


# --- language -------------------------------------------------------------------------------------


def test_dev_pages_and_seeds_are_all_found() -> None:
    need_shared(DEV)
    need_shared(SEEDS)
    assert len(dev_languages()) == 31


@pytest.mark.parametrize(
    ("path", "lang", "url"), dev_languages(), ids=lambda value: getattr(value, "name", None)
)
def test_language_and_url_of_every_dev_page_and_seed(path: Path, lang: str, url: str | None) -> None:
    doc = read_document(path)
    assert doc.language == lang
    assert doc.media_type == "text/plain"
    assert doc.url == url  # the dev pages' first line; the seeds have none
    assert not doc.text.startswith("http")


def test_restricting_by_renormalising_is_what_set_languages_gives() -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    restricted = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    restricted.set_languages(sorted(language.LANGUAGES | {"nn"}))
    for text in (
        POLISH,
        "Projekta vadošais partneris ir Poznaņa.",
        "Gradsko vijeće odlučilo je pridružiti se mreži.",
    ):
        label, probability = restricted.classify(text)
        found, share = language.identify(text)
        assert found == language.normalise_code(label)
        assert share == pytest.approx(probability, abs=1e-4)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (RUSSIAN, "ru"),
        (TURKISH, "tr"),
        ("Град Нови Сад је водећи партнер у мрежи европских градова и ради са девет других.", "sr"),
        ("Місто Львів стало партнером міжнародного проекту разом з іншими містами Європи.", "uk"),
        ("A cidade de Vigo participa na rede europea como socia xunto con outras cidades.", "gl"),
    ],
)
def test_a_language_outside_the_list_is_refused(text: str, code: str) -> None:
    with pytest.raises(ExtractError, match=rf"in a language citynet does not extract from \({code},"):
        language.identify(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Бургас е водещ партньор в мрежата и работи заедно с още девет европейски града.", "bg"),
        ("Il-Kunsill Lokali tal-Belt Valletta ħa sehem fil-proġett Ewropew flimkien ma' bliet oħra.", "mt"),
        ("Tá Comhairle Cathrach Chorcaí ina comhpháirtí sa líonra Eorpach seo le cathracha eile.", "ga"),
        ("Bystyret vedtok at kommunen skal delta i nettverket sammen med andre europeiske byer.", "no"),
        ("Gradsko vijeće odlučilo je da se grad pridruži mreži europskih gradova.", "hr"),
        ("Grad Sarajevo je vodeći partner u mreži evropskih gradova i radi sa devet drugih.", "hr"),
    ],
)
def test_listed_languages_near_unlisted_ones_are_found_bosnian_as_croatian(text: str, code: str) -> None:
    assert language.identify(text)[0] == code


def test_a_given_language_is_checked_and_used(tmp_path: Path) -> None:
    page = write(tmp_path, "note.txt", POLISH)
    assert read_document(page, lang="pl").language == "pl"
    assert read_document(page, lang="nb").language == "no"  # Bokmål is Norwegian
    assert read_document(write(tmp_path, "ru.txt", RUSSIAN), lang="bg").language == "bg"  # the user decides
    refused(page, r'language "ru" is not one citynet extracts from - expected one of bg, ca, cs', lang="ru")
    refused(write(tmp_path, "ru2.txt", RUSSIAN), r'"[^"]*ru2.txt": the text is in a language .*\(ru,')


def test_the_model_loads_lazily_and_once() -> None:
    heavy = "{'trafilatura', 'pypdf', 'pdfplumber', 'py3langid'}"
    code = f"import sys, citynet.extract.reading; print(sorted({heavy} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]"
    assert language.load_identifier() is language.load_identifier()


# --- plain text -----------------------------------------------------------------------------------


def test_a_text_with_a_url_line_gives_its_url_and_the_rest_as_text(tmp_path: Path) -> None:
    page = write(tmp_path, "note.txt", "https://example.org/lodz\n\n" + POLISH + "\r\n")
    doc = read_document(page)
    assert (doc.url, doc.text, doc.language) == ("https://example.org/lodz", POLISH + "\n", "pl")
    assert doc.sha256 == hashlib.sha256(page.read_bytes()).hexdigest()
    assert (doc.media_type, doc.title, doc.path) == ("text/plain", None, str(page))
    assert read_document(page, url="https://example.org/given").url == "https://example.org/given"


def test_a_url_not_followed_by_a_blank_line_stays_text(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "note.txt", "https://example.org/x\n" + POLISH))
    assert doc.url is None
    assert doc.text.startswith("https://example.org/x\nMiasto")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(categories=["L", "M", "N", "P", "Zs"]) | st.just("\n"), min_size=1))
def test_a_utf8_text_is_kept_as_written_but_nfc(tmp_path: Path, text: str) -> None:
    page = write(tmp_path, "any.txt", "x" + text)  # "x": never a URL line, never blank
    assert read_document(page, lang="pl").text == unicodedata.normalize("NFC", "x" + text)


def test_windows_1252_is_the_one_fallback(tmp_path: Path) -> None:
    text = "La ciudad de Málaga participa en la red europea como socia, junto con Córdoba y Cádiz."
    doc = read_document(write(tmp_path, "es.txt", text.encode("cp1252")))
    assert (doc.text, doc.language) == (text, "es")


def test_a_byte_order_mark_is_dropped_and_text_is_nfc(tmp_path: Path) -> None:
    doc = read_document(
        write(tmp_path, "bom.txt", "\ufeffMiasto Ło\u0301dz\u0301 jest liderem projektu URBACT.")
    )
    assert doc.text == "Miasto Łódź jest liderem projektu URBACT."


# --- HTML -----------------------------------------------------------------------------------------


def test_an_html_table_comes_out_as_lines_of_cells(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "page.html", TABLE_PAGE.format(tail="")), today=date(2026, 12, 5))
    lines = doc.text.splitlines()
    assert "City | Country | Role" in lines
    assert "Poznań | Poland | Lead partner" in lines
    assert "Granada | Spain | Partner" in lines
    assert "Daugavpils | Latvia | Partner" in lines
    assert not any(line.startswith("|") or "---" in line for line in lines)
    assert lines.index("Granada | Spain | Partner") < lines.index("Daugavpils | Latvia | Partner")
    assert "Home" not in doc.text and "Contact" not in doc.text  # the menu is not main text
    assert doc.title == "Gen-Y City: the partners meet in Poznań"
    assert doc.publisher == "Poznań City Hall"
    assert doc.url == "https://example.org/news/gen-y-city"
    assert (doc.date, doc.media_type, doc.language) == ("2016-09-12", "text/html", "en")


def test_the_given_url_wins_over_the_canonical_one(tmp_path: Path) -> None:
    page = write(tmp_path, "page.html", TABLE_PAGE.format(tail=""))
    assert read_document(page, url="https://example.org/given").url == "https://example.org/given"


def test_the_kind_comes_from_the_content_not_the_suffix(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "page.txt", TABLE_PAGE.format(tail="")))
    assert doc.media_type == "text/html"
    assert "Poznań | Poland | Lead partner" in doc.text.splitlines()


def test_html_in_its_declared_charset_with_the_domain_as_publisher(tmp_path: Path) -> None:
    body = (
        "Miasto Łódź jest liderem projektu URBACT, a partnerami są miasta Baena z Hiszpanii oraz"
        " Birmingham z Wielkiej Brytanii. Spotkanie partnerów odbyło się w czerwcu i trwało trzy dni."
    )
    page = (
        '<!DOCTYPE html><html lang="pl"><head><meta http-equiv="Content-Type" content="text/html;'
        ' charset=windows-1250"><title>Rewitalizacja</title></head><body><article>'
        f"<h1>Rewitalizacja w Łodzi</h1><p>{body}</p></article></body></html>"
    )
    path = write(tmp_path, "lodz.html", page.encode("cp1250"))
    doc = read_document(path, url="https://www.lodz.pl/aktualnosci/1")
    assert doc.text == "Rewitalizacja w Łodzi\n" + body
    assert (doc.publisher, doc.url, doc.language) == ("lodz.pl", "https://www.lodz.pl/aktualnosci/1", "pl")


def test_html_with_no_main_text_is_refused(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    refused(write(tmp_path, "menu.html", MENU_PAGE), r'no main text found in the HTML page "[^"]*menu.html"')
    assert capfd.readouterr() == ("", "")  # trafilatura's warnings are not printed


# --- PDF ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """TABLE_PAGE printed to PDF by headless Chromium."""
    folder = tmp_path_factory.mktemp("pdf")
    page = write(folder, "page.html", TABLE_PAGE.format(tail=""))
    pdf = folder / "page.pdf"
    command = [find_chromium(), *FLAGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()]
    subprocess.run(command, capture_output=True, check=True, timeout=120)
    return pdf


@pytest.mark.browser
def test_a_printed_pdf_keeps_its_text_and_its_table_in_order(printed_pdf: Path) -> None:
    doc = read_document(printed_pdf)
    lines = doc.text.splitlines()
    assert (doc.media_type, doc.language) == ("application/pdf", "en")
    assert doc.title == "Gen-Y City: the partners meet in Poznań"  # Chromium writes the <title>
    assert "Poznań | Poland | Lead partner" in lines
    assert "Daugavpils | Latvia | Partner" in lines
    table = doc.text.index("City | Country | Role")
    assert doc.text.index("runs from 2016 to 2018") < table < doc.text.index("integrated action plan")
    assert doc.sha256 == hashlib.sha256(printed_pdf.read_bytes()).hexdigest()


@pytest.mark.browser
def test_a_pdf_locked_with_an_empty_password_is_read(printed_pdf: Path, tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=printed_pdf)
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    writer.write(tmp_path / "locked.pdf")
    assert "Granada | Spain | Partner" in read_document(tmp_path / "locked.pdf").text.splitlines()


@pytest.mark.browser
def test_a_truncated_pdf_is_refused(
    printed_pdf: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    data = printed_pdf.read_bytes()
    cut = write(tmp_path, "cut.pdf", data[: len(data) // 2])
    refused(cut, r'"[^"]*cut.pdf" is a broken PDF \(.*\) - expected a complete PDF file')
    assert capfd.readouterr() == ("", "")


def test_a_pdf_that_needs_a_password_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    writer.write(tmp_path / "secret.pdf")
    refused(tmp_path / "secret.pdf", r'"[^"]*secret.pdf" is an encrypted PDF that needs a password')


def test_a_scanned_pdf_is_refused(tmp_path: Path) -> None:
    image = Image.new("RGB", (800, 400), "white")
    ImageDraw.Draw(image).text((40, 40), "Poznan is the lead partner of Gen-Y City", fill="black")
    image.save(tmp_path / "scan.pdf")
    refused(tmp_path / "scan.pdf", r'"[^"]*scan.pdf" has no text layer on any of its pages \(1; a scan\?\)')


def test_a_pdf_named_html_is_read_as_pdf(tmp_path: Path) -> None:
    Image.new("RGB", (100, 100), "white").save(tmp_path / "scan.pdf")
    (tmp_path / "scan.pdf").rename(tmp_path / "scan.html")
    refused(tmp_path / "scan.html", "has no text layer")


# --- bad input ------------------------------------------------------------------------------------


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    refused(tmp_path / "absent.html", r'cannot read "[^"]*absent.html": no such file - expected an HTML page')


def test_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    refused(tmp_path / "pages", r'"[^"]*pages" is a folder')


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    refused(write(tmp_path, "empty.txt", b""), r'"[^"]*empty.txt" is empty')


def test_a_file_of_blanks_has_no_text(tmp_path: Path) -> None:
    refused(write(tmp_path, "blank.txt", " \n\n \t\n"), r'no text in "[^"]*blank.txt"')


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file without read permission")
def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    page = write(tmp_path, "locked.txt", POLISH)
    page.chmod(0)
    refused(page, r'cannot read "[^"]*locked.txt": permission denied')


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    subprocess.run(["truncate", "-s", str(MAX_BYTES + 1), str(big)], check=True)
    tracemalloc.start()
    try:
        refused(big, rf'"[^"]*big.txt" is {MAX_BYTES + 1:,} bytes, over the limit of {MAX_BYTES:,}')
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000  # the 200 MB were never read
    assert big.stat().st_size == MAX_BYTES + 1  # the user's file is left alone


def test_binary_junk_is_refused(tmp_path: Path) -> None:
    junk = random.Random(19).randbytes(4096)
    refused(write(tmp_path, "junk.txt", junk), r'"[^"]*junk.txt" holds binary data \(NUL bytes\)')


def test_invalid_utf8_with_control_bytes_is_refused(tmp_path: Path) -> None:
    junk = bytes(range(0x80, 0x100)) + b"\x01\x02\x03"  # no NUL, not UTF-8, controls in Windows-1252
    refused(write(tmp_path, "junk.txt", junk), r'"[^"]*junk.txt" is neither UTF-8 nor Windows-1252 text')


def test_utf16_text_is_refused_with_a_hint(tmp_path: Path) -> None:
    page = write(tmp_path, "utf16.txt", POLISH.encode("utf-16"))
    refused(page, r'"[^"]*utf16.txt" is UTF-16 text \(save it as UTF-8\)')


def test_a_url_line_alone_is_no_text(tmp_path: Path) -> None:
    refused(write(tmp_path, "url.txt", "https://example.org/a\n\n\n"), r'no text in "[^"]*url.txt"')


def test_a_known_binary_format_is_named(tmp_path: Path) -> None:
    Image.new("RGB", (10, 10), "white").save(tmp_path / "photo.png")
    (tmp_path / "photo.png").rename(tmp_path / "photo.txt")
    refused(tmp_path / "photo.txt", r'"[^"]*photo.txt" is a PNG image - expected an HTML page')
