"""What an attachment may be, decided by its content: PDF, JPEG or PNG.

The declared type and the file name are not trusted. A PDF must start with its magic bytes and
may carry no script, launch action or embedded file; an image must open with Pillow, stay
within a pixel limit, and is re-encoded from its pixels alone, so no EXIF (GPS position, camera,
time), ICC profile, XMP or comment survives; the thumbnail is made the same way.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSION = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
MAX_PIXELS = 50_000_000
THUMBNAIL_SIZE = (240, 240)
# Active content a document for a case file has no use for.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction|AA|RichMedia)\b")


class FileRefused(ValueError):
    """The file is not one OpenNRM keeps; the message says why (shown to the user)."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    content: bytes
    thumbnail: bytes


def max_bytes() -> int:
    return int(settings.OPENNRM_ATTACHMENT_MAX_MB) * 1024 * 1024


def sniff(content: bytes) -> str:
    """The type by magic bytes, or ""."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return ""


def _clean_image(image: Image.Image, fmt: str, size: tuple[int, int] | None = None) -> bytes:
    """The pixels alone, in a fresh image with no metadata, saved without exif/icc/xmp."""
    mode = "RGB" if fmt == "JPEG" else ("RGBA" if "A" in image.mode or image.mode == "P" else "RGB")
    if image.mode in {"L", "LA"} and fmt == "PNG":
        mode = image.mode
    pixels = image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels, (0, 0))
    if size is not None:
        clean.thumbnail(size)
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, format="JPEG", quality=90, optimize=True)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def check(content: bytes) -> CheckedFile:
    """The file as it will be kept (images re-encoded, with a thumbnail), or `FileRefused`."""
    if not content:
        raise FileRefused(_("The file is empty."))
    if len(content) > max_bytes():
        raise FileRefused(
            _("The file is larger than %(n)d MB.") % {"n": settings.OPENNRM_ATTACHMENT_MAX_MB}
        )
    kind = sniff(content)
    if kind == PDF:
        if b"%%EOF" not in content[-2048:] or _PDF_ACTIVE.search(content):
            raise FileRefused(
                _("This PDF is damaged or carries scripts or embedded files: print it again.")
            )
        return CheckedFile(PDF, content, b"")
    if kind in {JPEG, PNG}:
        fmt = "JPEG" if kind == JPEG else "PNG"
        try:
            with Image.open(io.BytesIO(content)) as probe:
                if probe.format != fmt or probe.width * probe.height > MAX_PIXELS:
                    raise FileRefused(
                        _("This image cannot be kept: too large or not what it says.")
                    )
                probe.verify()
            with Image.open(io.BytesIO(content)) as opened:
                opened.load()
                # Turn the pixels as the camera meant (the orientation is in the EXIF dropped).
                image: Image.Image = ImageOps.exif_transpose(opened) or opened
                return CheckedFile(
                    kind, _clean_image(image, fmt), _clean_image(image, fmt, THUMBNAIL_SIZE)
                )
        except FileRefused:
            raise
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            raise FileRefused(_("This image is damaged.")) from None
    raise FileRefused(_("Only PDF, JPEG and PNG files are accepted."))
