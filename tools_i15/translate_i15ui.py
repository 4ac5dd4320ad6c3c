"""Fill the Indonesian of the strings added by the i15ui branch (run from the worktree root)."""
import polib

T = {
    "Agreement details": "Rincian kesepakatan",
    "No unit matches": "Tidak ada unit yang cocok",
    "How was our service today? Scan this code with your phone's camera and answer a few questions. Your name is not asked.":
        "Bagaimana pelayanan kami hari ini? Pindai kode ini dengan kamera ponsel Anda dan jawab beberapa pertanyaan. Nama Anda tidak ditanyakan.",
    "QR code of the questionnaire": "Kode QR kuesioner",
    "Print": "Cetak",
    "QR code to print for the counter": "Kode QR untuk dicetak dan dipasang di loket",
    "Pantau API": "API Pantau",
    "A JSON interface to the same data as these pages, scoped to what your account may see. Log in here first, or send your user name and password (HTTP Basic) over HTTPS.":
        "Antarmuka JSON untuk data yang sama dengan halaman-halaman ini, terbatas pada yang boleh dilihat akun Anda. Masuk di sini terlebih dahulu, atau kirim nama pengguna dan kata sandi Anda (HTTP Basic) melalui HTTPS.",
    "API documentation": "Dokumentasi API",
    "OpenAPI schema (YAML)": "Skema OpenAPI (YAML)",
    "Endpoints": "Titik akhir (endpoint)",
    "Each endpoint answers in JSON; lists are paged with limit and offset.":
        "Setiap endpoint menjawab dalam JSON; daftar dibagi per halaman dengan limit dan offset.",
}
PLURAL = {"%(counter)s meeting": "%(counter)s rapat"}

po = polib.pofile("pantau/locale/id/LC_MESSAGES/django.po")
for e in po:
    if e.msgid in T:
        e.msgstr = T[e.msgid]
    elif e.msgid in PLURAL:
        e.msgstr_plural = {0: PLURAL[e.msgid]}
    else:
        continue
    if "fuzzy" in e.flags:
        e.flags.remove("fuzzy")
    e.previous_msgid = None
    e.previous_msgid_plural = None
po.save()
