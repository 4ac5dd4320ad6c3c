"""Upload checks shared by every file field: type by content (magic bytes), size, sanitised names.

Allowed: PDF, PNG, JPEG, GIF, WebP, and office documents (OOXML zip: docx/xlsx/pptx; OpenDocument).
"""

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

ALLOWED_EXTENSIONS = {
    ".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp",
    ".docx": "zip", ".xlsx": "zip", ".pptx": "zip", ".odt": "zip", ".ods": "zip", ".odp": "zip",
}


def sniff(head: bytes) -> str | None:
    """The type told by the first bytes of a file (pdf, png, jpeg, gif, webp, zip) or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def validate_document(upload: Any) -> None:
    """Check an uploaded file's size and that its content matches an allowed type and its extension.

    Raises ValidationError (in the user's language) naming the file and the reason.
    """
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", 0) or 0
    limit = settings.PANTAU_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            _("File %(name)s is too large (%(size)d bytes; the limit is %(limit)d bytes).")
            % {"name": name, "size": size, "limit": limit}
        )
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    expected = ALLOWED_EXTENSIONS.get(ext)
    if expected is None:
        raise ValidationError(
            _("File %(name)s is not allowed: use PDF, an image (PNG, JPEG, GIF, WebP) or an office document.")
            % {"name": name}
        )
    try:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
    except (OSError, ValueError):
        head = b""
    if sniff(head) != expected:
        raise ValidationError(
            _("File %(name)s does not contain what its name says (%(ext)s).") % {"name": name, "ext": ext}
        )


def safe_name(filename: str) -> str:
    """A sanitised file name with a random prefix, so names never collide or carry paths."""
    base = get_valid_filename(filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]) or "file"
    stem, dot, ext = base.rpartition(".")
    base = f"{stem[:70]}.{ext}" if dot and len(ext) <= 10 else base[:80]  # long names keep their extension
    return f"{secrets.token_hex(8)}-{base}"


def shorten_name(filename: str, limit: int = 200) -> str:
    """``filename`` cut to ``limit`` characters keeping its extension (for the original name shown to users)."""
    if len(filename) <= limit:
        return filename
    stem, dot, ext = filename.rpartition(".")
    if dot and len(ext) <= 10:
        return f"{stem[: limit - len(ext) - 1]}.{ext}"
    return filename[:limit]


def document_upload_to(instance: Any, filename: str) -> str:
    """Storage path for agreement documents: ``agreements/<random>-<name>`` under MEDIA_ROOT."""
    return f"agreements/{safe_name(filename)}"


def evidence_upload_to(instance: Any, filename: str) -> str:
    """Storage path for evidence files: ``evidence/<random>-<name>`` under MEDIA_ROOT."""
    return f"evidence/{safe_name(filename)}"
