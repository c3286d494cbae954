"""A file as read for extraction: its kind, its main text, what it says about itself, its language.

The kind comes from the bytes, not the file name: ``%PDF-`` near the start is a PDF; an HTML
declaration or an ``<html>``/``<head>``/``<body>`` tag in the first 2 KB is HTML; other text is plain
text. Known binary formats (images, archives, office files) and bytes with NULs are refused.

- **HTML**: trafilatura's ``bare_extraction`` (2.3.1 returns a ``trafilatura.settings.Document``
  with ``text``, ``title``, ``sitename``, ``url`` — the canonical or og:url —, ``date``), comments
  left out, tables kept. trafilatura writes a table as Markdown rows (``| a | b |`` and a ``|---|``
  rule); they become lines of cells joined with ``" | "``. Dates are looked for up to ``today``.
  When what it finds has fewer than :data:`MIN_WORDS` words (its fallbacks return a page's menu
  when there is no article), the page has no main text. The publisher is the page's site name
  (og:site_name, a title's "… | site.org" part) or, when it names none, the domain of its URL.
- **PDF**: pypdf's text page by page. pypdf flattens a table into runs of words, so on pages where
  pdfplumber finds a (ruled) table the page's text is pdfplumber's lines outside the tables and the
  tables' rows (cells joined with ``" | "``), in their order down the page. A PDF locked with an
  empty user password (only its permissions) is read; one that needs a password is refused, and so
  is one with no text layer on any page (a scan: OCR it first). The PDF's author is not taken as
  publisher: it is often a person's name. Its date is its creation date.
- **Plain text**: UTF-8 (a BOM dropped); if that fails, Windows-1252, the one fallback. A text whose
  first line is a bare ``http(s)`` URL followed by a blank line (the convention of the extraction
  development set) gives that URL, and the text is what follows; an explicit ``url`` wins. A plain
  text has no title: its first line is as often "Foto: MOC" as a headline.

Every text is NFC-normalised with ``\\n`` line ends; that is the text offsets point into. Every bad
input is one :class:`~citynet.errors.ExtractError` line naming the file; nothing is written.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> page = folder / "note.txt"
>>> words = "Miasto Łódź jest liderem projektu URBACT, a partnerami są miasta z Hiszpanii."
>>> _ = page.write_text("https://example.org/a\\n\\n" + words)
>>> doc = read_document(page)
>>> doc.url, doc.language, doc.media_type, doc.text[:11]
('https://example.org/a', 'pl', 'text/plain', 'Miasto Łódź')
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from citynet.errors import ExtractError
from citynet.extract import language
from citynet.extract.model import Document

MAX_BYTES = 200 * 1024 * 1024  # larger files are refused before they are read
MIN_WORDS = 20  # an HTML page's main text has at least this many words; menus and footers have fewer
SNIFF = 2048  # bytes looked at to tell the kind
COMPLETE_PDF = "expected a complete PDF file"
EXPECTED = "expected an HTML page, a PDF with a text layer or a UTF-8 text file"
HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<!doctype\s+html", re.I | re.S)
HTML_TAG = re.compile(rb"<(?:html|head|body)[\s>]", re.I)
URL_LINE = re.compile(r"\Ahttps?://[^\s<>\"]+\n\n")
DRAWN_EDGE = re.compile(rb"\s(?:re|l)\s")  # PDF operators: a rectangle, a line segment
MARKDOWN_ROW = re.compile(r"^\| (.*?) ?\| ?$")
MARKDOWN_RULE = re.compile(r"^\|(?:-{3}\|)+$")
BINARY_KINDS = (  # magic bytes of formats people may try, to name them in the error
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (an office document?)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"%!PS", "a PostScript file"),
    (b"\x7fELF", "a program"),
    (b"\xff\xfe", "UTF-16 text (save it as UTF-8)"),
    (b"\xfe\xff", "UTF-16 text (save it as UTF-8)"),
)
for _name in ("trafilatura", "htmldate", "courlan", "justext", "pypdf", "pdfminer"):
    logging.getLogger(_name).addHandler(logging.NullHandler())  # their warnings are not ours to print


def read_document(
    path: Path, url: str | None = None, lang: str = "auto", today: date | None = None
) -> Document:
    """Read an HTML page, a PDF or a text file into a :class:`Document` with its language.

    ``lang`` is ``auto`` (identified, :func:`citynet.extract.language.identify`) or a code of
    :data:`~citynet.extract.language.LANGUAGES`; ``today`` bounds the page dates HTML metadata may give.
    """
    path = Path(path)
    given = None if lang == "auto" else language.check_code(lang)
    data = read_bytes(path)
    fields = pick_reader(data, path)(data, path, today or date.today(), url)
    text = normalise_text(fields.pop("text"))
    page_url = fields.pop("url", None)
    if fields["media_type"] == "text/plain":
        text, page_url = split_url_line(text)
    if not text.strip():
        raise ExtractError(f'no text in "{path}" - {EXPECTED}')
    return Document(
        text=text,
        language=given or identify_in(text, path),
        sha256=hashlib.sha256(data).hexdigest(),
        url=url or page_url,
        path=str(path),
        **fields,
    )


def read_bytes(path: Path) -> bytes:
    """The file's bytes, after checking it is a non-empty regular file of at most MAX_BYTES."""
    try:
        if path.is_dir():
            raise ExtractError(f'"{path}" is a folder - {EXPECTED} (or give the folder to citynet extract)')
        size = path.stat().st_size
        if not path.is_file():
            raise ExtractError(f'"{path}" is not a regular file - {EXPECTED}')
        if size > MAX_BYTES:
            raise ExtractError(f'"{path}" is {size:,} bytes, over the limit of {MAX_BYTES:,} - {EXPECTED}')
        if size == 0:
            raise ExtractError(f'"{path}" is empty - {EXPECTED}')
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # it may have grown since
    except FileNotFoundError:
        raise ExtractError(f'cannot read "{path}": no such file - {EXPECTED}') from None
    except PermissionError:
        raise ExtractError(f'cannot read "{path}": permission denied - make it readable') from None
    except OSError as error:
        raise ExtractError(f'cannot read "{path}": {error.strerror or error} - {EXPECTED}') from None
    if not data or len(data) > MAX_BYTES:
        raise ExtractError(f'"{path}" changed while it was read - {EXPECTED}')
    return data


def pick_reader(data: bytes, path: Path) -> Any:
    """The reader for the bytes' kind: read_pdf, read_html or read_text; refuses binary data.

    >>> [pick_reader(data, Path("a.html")).__name__ for data in (b"%PDF-1.7 ...", b"Plain words")]
    ['read_pdf', 'read_text']
    """
    if data[:1024].find(b"%PDF-") >= 0:
        return read_pdf
    check_binary(data, path)
    return read_html if is_html(data) else read_text


def is_html(data: bytes) -> bool:
    """Whether the bytes start like an HTML page (a declaration, or an html/head/body tag early on).

    >>> is_html(b"<!DOCTYPE html><p>x"), is_html(b"Plain words <body> later"), is_html(b"Plain words")
    (True, True, False)
    """
    head = data[:SNIFF].lstrip(b"\xef\xbb\xbf")
    return bool(HTML_START.match(head) or HTML_TAG.search(head))


def check_binary(data: bytes, path: Path) -> None:
    """Refuse a known binary format (UTF-16 among them) or bytes holding NULs."""
    for magic, kind in BINARY_KINDS:
        if data.startswith(magic):
            raise ExtractError(f'"{path}" is {kind} - {EXPECTED}')
    if b"\x00" in data[: 1 << 20]:
        raise ExtractError(f'"{path}" holds binary data (NUL bytes) - {EXPECTED}')


def read_text(data: bytes, path: Path, today: date, url: str | None = None) -> dict[str, Any]:
    """A plain text file: UTF-8, else Windows-1252. It has no title of its own (its first line is as
    often "Foto: MOC" or a menu item as the headline), so none is guessed."""
    return {"text": decode_text(data, path), "media_type": "text/plain"}


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 (BOM dropped), else Windows-1252 when that gives text without control characters.

    >>> decode_text("Málaga".encode("cp1252"), Path("x.txt"))
    'Málaga'
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text):
        raise ExtractError(
            f'"{path}" is neither UTF-8 nor Windows-1252 text (byte {utf8_error.start}) and not HTML or PDF'
            f" - {EXPECTED}"
        )
    return text


def split_url_line(text: str) -> tuple[str, str | None]:
    """(the text after a first line that is a bare URL and a blank line, that URL), or (text, None).

    >>> split_url_line("https://example.org/x\\n\\nBody")
    ('Body', 'https://example.org/x')
    >>> split_url_line("Body\\nhttps://example.org/x")
    ('Body\\nhttps://example.org/x', None)
    """
    found = URL_LINE.match(text)
    if not found:
        return text, None
    return text[found.end() :], found.group().strip()


def normalise_text(text: str) -> str:
    """NFC, ``\\n`` line ends, no NULs: the stored text offsets point into.

    >>> normalise_text("Gen\\u0303\\r\\nY") == "Ge\\u00f1\\nY"
    True
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def read_html(data: bytes, path: Path, today: date, url: str | None = None) -> dict[str, Any]:
    """An HTML page's main text (tables as lines of cells) and its title, site name, URL and date."""
    import trafilatura

    page = trafilatura.bare_extraction(
        data,
        url=url,
        with_metadata=True,
        include_tables=True,
        include_comments=False,
        date_extraction_params={
            "original_date": True,
            "extensive_search": True,
            "max_date": today.isoformat(),
        },
    )
    if page is None or len((page.text or "").split()) < MIN_WORDS:
        raise ExtractError(f'no main text found in the HTML page "{path}" - expected a page with an article')
    return {
        "text": flatten_tables(page.text),
        "media_type": "text/html",
        "title": clean(page.title),
        "publisher": clean(page.sitename),
        "url": page.url if page.url and re.match(r"https?://", page.url) else None,
        "date": clean(page.date),
    }


def flatten_tables(text: str) -> str:
    """trafilatura's Markdown table rows as lines of cells joined with " | ", its rules dropped.

    >>> flatten_tables("Partners:\\n| City | Country | \\n|---|---|\\n| Poznań | Poland | \\nEnd")
    'Partners:\\nCity | Country\\nPoznań | Poland\\nEnd'
    """
    lines = []
    for line in text.split("\n"):
        if MARKDOWN_RULE.match(line.strip()):
            continue
        row = MARKDOWN_ROW.match(line)
        lines.append(row.group(1).replace("\\|", "|").strip() if row else line)
    return "\n".join(lines)


def clean(value: str | None) -> str | None:
    """A metadata string stripped, or None when blank."""
    return value.strip() or None if value else None


def read_pdf(data: bytes, path: Path, today: date, url: str | None = None) -> dict[str, Any]:
    """A PDF's text page by page (tables from pdfplumber where it finds them), its title and date."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        unlock_pdf(reader, path)
        texts = [page.extract_text() or "" for page in reader.pages]
        ruled = [number for number, page in enumerate(reader.pages) if may_hold_table(page)]
        info = reader.metadata
    except PyPdfError as error:
        raise ExtractError(f'"{path}" is a broken PDF ({error}) - {COMPLETE_PDF}') from None
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as error:
        raise ExtractError(f'"{path}" is a broken PDF ({type(error).__name__}) - {COMPLETE_PDF}') from None
    if not any(text.strip() for text in texts):
        raise ExtractError(
            f'"{path}" has no text layer on any of its pages ({len(texts)}; a scan?)'
            " - run OCR first, or give its text"
        )
    texts = add_pdf_tables(data, texts, ruled)
    return {
        "text": "\n\n".join(text.strip("\n") for text in texts),
        "media_type": "application/pdf",
        "title": clean(info.title) if info else None,
        "date": pdf_date(info),
    }


def unlock_pdf(reader: Any, path: Path) -> None:
    """Open a PDF locked with an empty user password; refuse one that needs a password."""
    from pypdf import PasswordType

    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise ExtractError(f'"{path}" is an encrypted PDF that needs a password - give a copy without one')


def pdf_date(info: Any) -> str | None:
    """The PDF's creation date as YYYY-MM-DD, when it has a readable one."""
    try:
        created = info.creation_date if info else None
    except ValueError:
        return None
    return created.date().isoformat() if created else None


def may_hold_table(page: Any) -> bool:
    """Whether a page draws at least four rectangles or lines, the least a ruled table of 2 by 2 needs.

    pdfplumber finds ruled tables from a page's drawn edges; looking for them costs ten times pypdf's
    text, so pages that draw no edges in their own content stream are not searched (a table drawn
    inside a form XObject is missed: its words still come in pypdf's text).
    """
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    return len(DRAWN_EDGE.findall(data)) >= 4


def add_pdf_tables(data: bytes, texts: list[str], ruled: list[int]) -> list[str]:
    """Pages (of ``ruled``) where pdfplumber finds tables: their lines and their tables' rows."""
    import pdfplumber
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    result = list(texts)
    try:
        with pdfplumber.open(io.BytesIO(data), password="") as pdf:
            for number in ruled:
                page = pdf.pages[number]
                tables = [table for table in page.find_tables() if is_real_table(table)]
                if tables:
                    result[number] = page_with_tables(page, tables)
    except (PdfminerException, PSException, ValueError, KeyError, TypeError):
        return texts  # pypdf read it: its text stands, without the table layout
    return result


def is_real_table(table: Any) -> bool:
    """A table of at least two rows and two columns (a ruled box around a paragraph is not one)."""
    rows = table.extract()
    return len(rows) >= 2 and max(len(row) for row in rows) >= 2


def page_with_tables(page: Any, tables: list[Any]) -> str:
    """The page's lines outside its tables and each table's rows (cells joined by " | "), top to bottom."""
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    blocks = [(line["top"], line["text"]) for line in outside.extract_text_lines()]
    blocks += [(table.bbox[1], table_lines(table)) for table in tables]
    return "\n".join(text for _, text in sorted(blocks, key=lambda block: block[0]) if text)


def table_lines(table: Any) -> str:
    """A pdfplumber table as lines, one a row, its cells' words joined by " | "."""
    rows = [[" ".join((cell or "").split()) for cell in row] for row in table.extract()]
    return "\n".join(" | ".join(cells) for cells in rows if any(cells))


def identify_in(text: str, path: Path) -> str:
    """The text's language, its error naming the file."""
    try:
        return language.identify(text)[0]
    except ExtractError as error:
        raise ExtractError(f'"{path}": {error}') from None
