"""How a method edition, its dimensions and bands are sourced, said in sentences for people (in the active language),
instead of the curation notes stored with them (which the API and the admin keep as they are).

The three editions Pantau loads (migration 0002, from domain/rules.md tables B-D and section 2.6) have their own
sentences here; an edition an Ombudsman admin adds later shows its stored regulation and rounding text. Sources are
the web addresses found in the stored notes, shown as numbered links.
"""

import re
from typing import Any

from django.utils.translation import gettext as _

URL = re.compile(r"https?://[^\s;,)]+")



def _known() -> dict[str, dict[str, str]]:
    """Sentences of the three editions loaded by migration 0002, keyed by edition code."""
    rounding = _(
        "Pantau rounds the weighted total half-up to 2 decimals and compares it with each band's lower bound, "
        "inclusive; the official rounding rule could not yet be confirmed."
    )
    return {
        "ombudsman-2015": {
            "regulation": _(
                "Law 25/2009 on public services (service standards) and Law 37/2008 on the Ombudsman; the survey "
                "instrument itself has not been found."
            ),
            "rounding": rounding,
        },
        "ombudsman-2022": {
            "regulation": _(
                "The Ombudsman's assessment instrument for 2022-2024; the text of its regulation has not been found, "
                "the weights come from the Ombudsman's published evaluation material."
            ),
            "rounding": rounding,
        },
        "ombudsman-2025": {
            "regulation": _("Ombudsman Regulation 61/2025 (Peraturan Ombudsman 61/2025)."),
            "rounding": rounding,
        },
    }


def sources(note: str) -> list[str]:
    """The web addresses cited in a stored source note, in order, each once."""
    found: list[str] = []
    for url in URL.findall(note or ""):
        if url not in found:
            found.append(url)
    return found


def describe(edition: Any) -> dict[str, Any]:
    """``{regulation, rounding, sources}`` of a method edition for its page: sentences in the active language for the
    editions Pantau loads, the stored text for others; ``sources`` the cited web addresses (a list of str)."""
    known = _known().get(edition.code)
    return {
        "regulation": known["regulation"] if known else edition.regulation,
        "rounding": known["rounding"] if known else edition.rounding_rule,
        "sources": sources(edition.source_note),
    }
