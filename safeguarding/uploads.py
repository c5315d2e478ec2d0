"""Screenshot uploads: accept only real JPEG/PNG/WebP images, then re-encode them.

A child's screenshot can carry the family's home in its EXIF GPS tags, and a file that
looks like an image can be an HTML page in disguise. Nothing the student uploads is kept
as sent: the pixels are decoded and written into a brand-new file with no metadata.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Magic numbers of the three formats accepted; anything else is refused before Pillow.
_MAGIC = {
    "JPEG": lambda head: head.startswith(b"\xff\xd8\xff"),
    "PNG": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "WEBP": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
}
# Markup that has no business inside an image: a polyglot carries it to be sniffed as HTML.
_MARKUP = (b"<html", b"<script", b"<svg", b"<iframe", b"<body", b"<?php", b"<!doctype", b"javascript:")
_OUTPUT = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}


def max_bytes() -> int:
    return getattr(settings, "SAFEGUARDING_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)


def max_files() -> int:
    return getattr(settings, "SAFEGUARDING_MAX_UPLOADS", 3)


def max_pixels() -> int:
    return getattr(settings, "SAFEGUARDING_MAX_IMAGE_PIXELS", 16_000_000)


# Whatever the area, no side may be longer than this (a 1 × 16,000,000 "picture").
MAX_SIDE = 20_000


def within_pixel_limits(width: int, height: int) -> bool:
    """At most SAFEGUARDING_MAX_IMAGE_PIXELS (4,000 × 4,000) in area. An area, not a side:
    a long scrolling screenshot of a chat (1,080 × 12,000) is exactly the evidence a child
    needs to send, and costs less to decode than a 4,000 × 4,000 photo."""
    return width * height <= max_pixels() and max(width, height) <= MAX_SIDE


def too_big_message(name: str, width: int | None = None, height: int | None = None) -> str:
    side = int(max_pixels() ** 0.5)
    if width and height:
        lead = _("“%(name)s” is too big (%(w)s × %(h)s pixels).") % {"name": name, "w": width, "h": height}
    else:
        lead = _("“%(name)s” is too big to open.") % {"name": name}
    return " ".join(
        [
            lead,
            _(
                "Pictures can be up to about %(side)s × %(side)s pixels. A normal screenshot from a phone "
                "or computer is fine: please send one of those instead. What you wrote has been kept."
            )
            % {"side": side},
        ]
    )


@dataclass
class CleanImage:
    """A re-encoded image, ready to store; nothing of the original bytes survives."""

    content: ContentFile
    content_type: str
    width: int
    height: int
    original_name: str


def _detect_format(head: bytes) -> str | None:
    for fmt, test in _MAGIC.items():
        if test(head):
            return fmt
    return None


def clean_image(upload) -> CleanImage:
    """Validate one uploaded file and return a metadata-free copy; raise ValidationError."""
    name = getattr(upload, "name", "") or "image"
    if upload.size > max_bytes():
        raise ValidationError(
            _("“%(name)s” is too large. Each picture must be under %(limit)s.")
            % {"name": name, "limit": filesizeformat(max_bytes())},
            code="too_large",
        )
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise ValidationError(_("“%(name)s” is too large.") % {"name": name}, code="too_large")
    fmt = _detect_format(data[:16])
    if fmt is None:
        raise ValidationError(
            _("“%(name)s” is not a picture NetWise accepts. Please attach a JPEG, PNG or WebP screenshot.")
            % {"name": name},
            code="not_image",
        )
    lowered = data.lower()
    if any(marker in lowered for marker in _MARKUP):
        raise ValidationError(
            _("“%(name)s” contains web page code hidden inside the picture, so it was not accepted.") % {"name": name},
            code="polyglot",
        )
    # Bounded before any decode: Image.open only parses the header, so `probe.size` costs
    # nothing however large the picture claims to be; the pixels are decoded only below.
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: treat it as an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
                width, height = probe.size
                if not within_pixel_limits(width, height):
                    raise ValidationError(too_big_message(name, width, height), code="too_many_pixels")
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[fmt]) as img:
                img.load()
                img = ImageOps.exif_transpose(img)
                clean = _strip(img, fmt)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard, raised while reading the header (far beyond our limit anyway).
        raise ValidationError(too_big_message(name), code="too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(
            _("“%(name)s” could not be read as a picture. It may be damaged; please try another screenshot.")
            % {"name": name},
            code="broken",
        ) from exc
    ext, content_type = _OUTPUT[fmt]
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=88)
    return CleanImage(
        content=ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}"),
        content_type=content_type,
        width=clean.width,
        height=clean.height,
        original_name=name[:200],
    )


def _strip(img: Image.Image, fmt: str) -> Image.Image:
    """Copy only the pixels into a new image: EXIF, GPS, XMP, text chunks and ICC stay behind."""
    if fmt == "JPEG":
        mode = "RGB" if img.mode not in ("L", "RGB") else img.mode
    else:
        mode = "RGBA" if img.mode in ("RGBA", "LA", "PA", "P") or "transparency" in img.info else "RGB"
        if img.mode == "L":
            mode = "L"
    converted = img.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def clean_images(files) -> list[CleanImage]:
    """Validate a list of uploads; all or nothing, so one bad file stores none."""
    files = [f for f in files if f]
    if len(files) > max_files():
        raise ValidationError(
            _("Please attach at most %(n)s pictures.") % {"n": max_files()},
            code="too_many_files",
        )
    errors, cleaned = [], []
    for f in files:
        try:
            cleaned.append(clean_image(f))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned
