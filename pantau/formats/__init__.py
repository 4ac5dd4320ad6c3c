"""Pantau's date and number formats per language (``FORMAT_MODULE_PATH``): one style per language everywhere, day
first in both ("31 Agustus 2024", "31 August 2024"; in tables "31/08/2024"). Numbers keep Django's locale
separators (Indonesian "2.200" and "82,56", English "2,200" and "82.56"); what is not set here falls back to
Django's own locale formats."""
