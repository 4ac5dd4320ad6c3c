"""The 14 service-standard components of UU 25/2009 art. 21 and their two groups (PermenPANRB 15/2014).

Source: domain/rules.md section 1.1 (the list, in the order of art. 21; the wording of item 14 is UNCERTAIN) and
section 1.2 (6 service-delivery components that must be published to users; 8 management, "manufacturing",
components that stay internal; the last three management items are inferred, UNCERTAIN). The codes are the keys of
the shared JSON layout (data/batanghari/standar_pelayanan_*.json).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComponentGroup(models.TextChoices):
    """Service delivery (published to users) or management (internal), domain/rules.md section 1.2."""

    DELIVERY = "delivery", _("service delivery (published)")
    MANAGEMENT = "management", _("management (internal)")


class ComponentCode(models.TextChoices):
    """The 14 components, in the order of UU 25/2009 art. 21 (domain/rules.md section 1.1)."""

    DASAR_HUKUM = "dasar_hukum", _("legal basis")
    PERSYARATAN = "persyaratan", _("requirements")
    SISTEM_MEKANISME_PROSEDUR = "sistem_mekanisme_prosedur", _("system, mechanism and procedure")
    JANGKA_WAKTU = "jangka_waktu_penyelesaian", _("completion time")
    BIAYA_TARIF = "biaya_tarif", _("cost / tariff")
    PRODUK = "produk_pelayanan", _("service product")
    SARANA_PRASARANA = "sarana_prasarana", _("facilities and infrastructure")
    KOMPETENSI = "kompetensi_pelaksana", _("staff competence")
    PENGAWASAN_INTERNAL = "pengawasan_internal", _("internal supervision")
    PENGADUAN = "penanganan_pengaduan_saran_masukan", _("handling of complaints, suggestions and input")
    JUMLAH_PELAKSANA = "jumlah_pelaksana", _("number of staff")
    JAMINAN_PELAYANAN = "jaminan_pelayanan", _("service guarantee")
    JAMINAN_KEAMANAN = "jaminan_keamanan_keselamatan", _("security and safety guarantee")
    EVALUASI_KINERJA = "evaluasi_kinerja_pelaksana", _("staff performance evaluation")


C = ComponentCode
DELIVERY_COMPONENTS: tuple[str, ...] = (
    C.PERSYARATAN, C.SISTEM_MEKANISME_PROSEDUR, C.JANGKA_WAKTU, C.BIAYA_TARIF, C.PRODUK, C.PENGADUAN,
)
"""The 6 service-delivery components that must be published (domain/rules.md section 1.2)."""

MANAGEMENT_COMPONENTS: tuple[str, ...] = (
    C.DASAR_HUKUM, C.SARANA_PRASARANA, C.KOMPETENSI, C.PENGAWASAN_INTERNAL, C.JUMLAH_PELAKSANA,
    C.JAMINAN_PELAYANAN, C.JAMINAN_KEAMANAN, C.EVALUASI_KINERJA,
)
"""The 8 management components (domain/rules.md section 1.2; the last three are inferred, UNCERTAIN)."""

ALL_COMPONENTS: tuple[str, ...] = tuple(ComponentCode.values)
"""All 14 codes in the order of art. 21."""


def group_of(code: str) -> str:
    """``ComponentGroup`` value of a component ``code``; raises KeyError for an unknown code."""
    if code in DELIVERY_COMPONENTS:
        return ComponentGroup.DELIVERY
    if code in MANAGEMENT_COMPONENTS:
        return ComponentGroup.MANAGEMENT
    raise KeyError(code)
