"""Public transparency pages and open data under /publik/ (namespace ``public``; no login): see ``reports.public``.

Stable addresses: a region by its Kemendagri code (``15.04``), datasets by their Indonesian slug (``aksi``,
``rencana-kerja``, ``kepatuhan``, ``ikm``) and format (``csv``, ``json``).
"""

from django.urls import path, re_path

from pantau.reports import public

CODE = r"(?P<code>\d{2}(?:\.\d{2})?)"
FILE = r"(?P<slug>[a-z][a-z-]{0,30})\.(?P<fmt>csv|json)"

app_name = "public"
urlpatterns = [
    path("", public.index, name="index"),
    path("bahasa/", public.language, name="language"),
    path("data/", public.dictionary, name="dictionary"),
    re_path(rf"^data/{FILE}$", public.national_file, name="national_file"),
    re_path(rf"^{CODE}/$", public.region, name="region"),
    re_path(rf"^{CODE}/data/{FILE}$", public.region_file, name="region_file"),
]
