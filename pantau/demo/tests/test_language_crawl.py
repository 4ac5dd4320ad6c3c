"""Every page a demo persona reaches speaks the user's language: no English UI words and no developer notes in the
Indonesian pages, no Indonesian button or heading words in the English ones.

The crawl logs in as each demo persona, GETs every named URL that takes no arguments, then follows the links it finds
(same site, HTML pages only), visiting at most one URL per shape (digits and query values ignored, so one object of
each detail page and one page of each list). The visible text is the page's text outside ``script``, ``style``,
``code`` and ``pre``, plus the ``title``, ``alt``, ``placeholder``, ``aria-label`` and button ``value`` attributes
people read. What people typed (names, titles of actions) is data and may be in either language, so the Indonesian
check looks for English *function words and UI words* that never occur in Indonesian names, and the English check
only looks for Indonesian UI verbs in buttons, table headers, legends, summaries and the navigation (labels of
checkboxes carry data such as action titles).
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from pantau.accounts.models import User

PERSONAS = ["admin", "ombudsman.admin", "asisten", "koordinator", "petugas.dukcapil", "petugas.mersam", "pemantau"]
MAX_PAGES = 260  # per persona and language; the demo has about 150 page shapes

ENGLISH_IN_INDONESIAN = re.compile(
    r"\b(?:the|and|of|with|for|is|are|not|this|your|you|from|has|have|been|will|no longer|Save|Submit|Cancel|Edit|"
    r"Delete|Search|Filter|Next|Previous|Not found|Log in|Log out|Sign in|Loading|provisional|source|Yes)\b"
    r"|domain/rules\.md|rules\.md|UNCERTAIN|TODO|FIXME|\bsection \d|\bbagian \d+\.\d|ombudsman-20\d\d"
    r"|not retrieved|belum terverifikasi|\bUntitled\b"
)
INDONESIAN_IN_ENGLISH = re.compile(
    r"\b(?:Simpan|Kirim|Batal|Ubah|Hapus|Cari|Terapkan|Halaman|Sebelumnya|Berikutnya|Keluar|Masuk|Tanggal|"
    r"Tambah|Unduh|Unggah|Kembali|Tampilkan|Setujui|Tolak)\b"
)
SKIP = re.compile(
    r"^/(?:admin/|api/|i18n/|accounts/logout|static/|media/|open311/)|\.(?:xlsx|csv|json|pdf|svg|ics|png|ico)\b"
    r"|/(?:export|download|template|evidence|chart|qr|feed|pdf|ical)\b"
)


class Visible(HTMLParser):
    """Collects the visible text of a page (``text``) and that of buttons, headers and navigation (``ui``)."""

    HIDDEN = {"script", "style", "code", "pre", "template"}
    UI = {"button", "th", "legend", "nav", "summary"}
    ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.ui: list[str] = []
        self.links: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        for name in self.ATTRIBUTES:
            if values.get(name):
                self.text.append(values[name])
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.text.append(values["value"])
            self.ui.append(values["value"])
        if tag not in {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.HIDDEN & set(self.stack) or not data.strip():
            return
        self.text.append(data)
        if self.UI & set(self.stack):
            self.ui.append(data)


def shape(url: str) -> str:
    """A URL with its numbers and query values left out: one visit per page kind."""
    parts = urlsplit(url)
    keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)} - {"next"})
    return re.sub(r"\d+", "#", parts.path) + "?" + "&".join(keys)


def plain_urls() -> list[str]:
    """Every named URL that takes no arguments."""
    found: list[str] = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groups:
                try:
                    found.append(reverse(namespace + p.name))
                except NoReverseMatch:  # a pattern with converters reverse() cannot fill without arguments
                    continue

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def crawl(client: Client) -> dict[str, Visible]:
    """Visits the plain URLs and the links found, one URL per shape; returns the parsed HTML pages by URL."""
    queue = deque(u for u in plain_urls() if not SKIP.search(u))
    seen: set[str] = set()
    pages: dict[str, Visible] = {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if shape(url) in seen:
            continue
        seen.add(shape(url))
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        parser = Visible()
        parser.feed(response.content.decode())
        pages[url] = parser
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if not SKIP.search(link) and shape(link) not in seen:
                queue.append(link)
    return pages


def offences(pages: dict[str, Visible], pattern: re.Pattern, attribute: str) -> list[str]:
    found = []
    for url, page in pages.items():
        for text in getattr(page, attribute):
            for match in pattern.finditer(text):
                start = max(0, match.start() - 40)
                found.append(f"{url}: {match.group(0)!r} in {' '.join(text[start:match.end() + 40].split())!r}")
    return found


@pytest.fixture
def demo(full_demo, db, settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.mark.parametrize("username", PERSONAS)
def test_indonesian_pages_have_no_english_and_no_developer_notes(demo, settings, username):
    settings.LANGUAGE_CODE = "id"
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    pages = crawl(client)
    assert len(pages) > 35  # 40-70 page kinds per persona in the demo
    found = offences(pages, ENGLISH_IN_INDONESIAN, "text")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("username", ["koordinator", "asisten"])
def test_english_pages_have_no_indonesian_ui_words(demo, settings, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = crawl(client)
    assert len(pages) > 35  # 40-70 page kinds per persona in the demo
    found = offences(pages, INDONESIAN_IN_ENGLISH, "ui")
    assert not found, "\n".join(found)


def test_agency_notes_read_as_sentences_without_curation_references():
    from pantau.demo.loader import public_note

    assert public_note("dari opd.csv (berlaku per 16-02-2026)") == (
        "Sumber: daftar OPD Kabupaten Batanghari (berlaku per 16-02-2026)")
    inspectorate = "tipikal, belum terverifikasi: setiap kabupaten memiliki inspektorat (PP 18/2016, dari ingatan)"
    assert public_note(inspectorate) == (
        "Keberadaannya belum dipastikan dari sumber Batanghari; dicatat karena setiap kabupaten memiliki "
        "inspektorat (PP 18/2016).")
    assert public_note("tipikal, belum terverifikasi: Bagian Organisasi Setda mengoordinasikan perbaikan pelayanan "
                       "publik di kabupaten (domain/rules.md bagian 6)") == (
        "Keberadaannya belum dipastikan dari sumber Batanghari; dicatat karena Bagian Organisasi Setda "
        "mengoordinasikan perbaikan pelayanan publik di kabupaten.")
    assert public_note("tipikal, belum terverifikasi (PP 18/2016, dari ingatan)") == (
        "Keberadaannya belum dipastikan dari sumber Batanghari; dicatat karena lazim menurut PP 18/2016.")
