"""``pantau compute_ikm FILE [--weight exact|0.11] [--format text|json] [--elements N] [--population N]``.

Computes the IKM of a file of survey responses (XLSX or CSV, layout in ``surveys.files``) without touching the
database: per-element totals, NRR (1-4) and converted scores (25-100) with their grades, the IKM and its grade
(PermenPANRB 14/2017, rules.md section 3). On a bad file it prints every error with its row and column and exits
non-zero (CommandError). ``--elements`` reads U1..UN instead of the nine unsur (for instruments with fewer items;
the printed 0.11 weight needs all nine). ``--population`` adds the Krejcie & Morgan required sample.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pantau.surveys import ikm
from pantau.surveys.files import read_responses


class Command(BaseCommand):
    """Compute an IKM from a file of responses and print it."""

    help = "Compute the IKM (PermenPANRB 14/2017) of a file of survey responses (.xlsx or .csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        """FILE and the options."""
        parser.add_argument("file", help="the .xlsx or .csv file: header row with U1..U9, one respondent per row")
        parser.add_argument("--weight", choices=[w.value for w in ikm.Weight], default=ikm.Weight.EXACT.value,
                            help="element weight: exact 1/k (default) or the printed 0.11")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
        parser.add_argument("--elements", type=int, default=len(ikm.ELEMENT_CODES),
                            help="number of elements U1..UN in the file (default 9)")
        parser.add_argument("--population", type=int, default=None,
                            help="service users in the previous period, for the required sample size")

    def handle(self, *args: Any, **options: Any) -> None:
        """Read, validate, compute, print."""
        count = options["elements"]
        if not 1 <= count <= 20:
            raise CommandError("--elements must be between 1 and 20.")
        if options["population"] is not None and options["population"] < 1:
            raise CommandError("--population must be at least 1.")
        elements = tuple(f"U{i}" for i in range(1, count + 1))
        weight = ikm.Weight(options["weight"])
        if weight is ikm.Weight.PRINTED and count != len(ikm.ELEMENT_CODES):
            raise CommandError("The printed weight 0.11 applies only to the nine elements U1-U9.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot open {path}: {exc.strerror}") from None
        read = read_responses(data, path.name, elements)
        if read.errors:
            lines = [str(error) for error in read.errors]
            raise CommandError(f"{path.name}: {len(lines)} error(s), nothing computed:\n" + "\n".join(lines))
        result = ikm.compute([r.scores for r in read.responses], elements, weight)
        required = ikm.required_sample(options["population"]) if options["population"] else None
        if options["output_format"] == "json":
            self.stdout.write(json.dumps(_as_json(result, required, options["population"]), indent=2))
        else:
            self.stdout.write(_as_text(result, required, options["population"]))


def _as_json(result: ikm.IkmComputation, required: int | None, population: int | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "n": result.n,
        "weight": result.weight.value,
        "elements": [
            {"code": e.code, "total": e.total, "nrr": str(e.nrr), "converted": str(e.converted),
             "grade": e.grade.letter}
            for e in result.elements
        ],
        "ikm": str(result.ikm),
        "grade": result.grade.letter,
        "performance": result.grade.performance,
        "rounding_rule": result.rounding_rule,
    }
    if population:
        data.update(population=population, required_sample=required, adequate=result.n >= (required or 0))
    return data


def _as_text(result: ikm.IkmComputation, required: int | None, population: int | None) -> str:
    lines = [f"Responses: {result.n}   weight: {result.weight.value}", "",
             f"{'element':<8}{'total':>7}{'NRR':>9}{'converted':>11}  grade"]
    for e in result.elements:
        lines.append(f"{e.code:<8}{e.total:>7}{e.nrr:>9}{e.converted:>11}  {e.grade.letter}")
    lines += ["", f"IKM {result.ikm}  grade {result.grade.letter} ({result.grade.performance})"]
    if population:
        verdict = "adequate" if result.n >= (required or 0) else "NOT adequate"
        lines.append(f"Required sample for population {population}: {required} (Krejcie & Morgan) - {verdict}")
    return "\n".join(lines)
