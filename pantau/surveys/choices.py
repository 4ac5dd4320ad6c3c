"""Choices of the respondent profile and of a response's channel.

The profile follows the questionnaire layout of PermenPANRB 14/2017 as units print it (sex L/P, age in years,
education SD/SMP/SMA/S1/S2/S3, occupation PNS/TNI/POLRI/SWASTA/WIRAUSAHA/LAINNYA, service received); seen in a
unit's questionnaire copied from the regulation, https://pdfcoffee.com/permen-14-2017-okkk-pdf-free.html. The
regulation's own annex was not read in full, so every profile field is optional. "Diploma" (D1-D4) appears on
some units' forms and is kept as a choice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Jenis kelamin as the questionnaire asks it (L = laki-laki, P = perempuan)."""

    MALE = "L", _("male")
    FEMALE = "P", _("female")


class Education(models.TextChoices):
    """Highest education (pendidikan)."""

    SD = "sd", _("primary school (SD)")
    SMP = "smp", _("junior secondary school (SMP)")
    SMA = "sma", _("senior secondary school (SMA)")
    DIPLOMA = "diploma", _("diploma (D1-D4)")
    S1 = "s1", _("bachelor (S1)")
    S2 = "s2", _("master (S2)")
    S3 = "s3", _("doctorate (S3)")


class Occupation(models.TextChoices):
    """Occupation (pekerjaan)."""

    PNS = "pns", _("civil servant (PNS)")
    TNI = "tni", _("armed forces (TNI)")
    POLRI = "polri", _("police (POLRI)")
    PRIVATE = "swasta", _("private sector (swasta)")
    ENTREPRENEUR = "wirausaha", _("self-employed (wirausaha)")
    OTHER = "lainnya", _("other")


class ResponseSource(models.TextChoices):
    """How a response reached Pantau."""

    PUBLIC_FORM = "public_form", _("public form")
    PAPER_IMPORT = "paper_import", _("paper questionnaire, imported")


class WeightVariant(models.TextChoices):
    """Stored name of the element weight variant (``ikm.Weight``)."""

    EXACT = "exact", _("exact 1/9")
    PRINTED = "0.11", _("printed 0.11")


class GradeLetter(models.TextChoices):
    """IKM grade (mutu pelayanan), PermenPANRB 14/2017."""

    A = "A", _("A (very good)")
    B = "B", _("B (good)")
    C = "C", _("C (less than good)")
    D = "D", _("D (not good)")
