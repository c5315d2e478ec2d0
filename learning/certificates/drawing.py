"""Drawing a course certificate: a PNG drawn with Pillow and a PDF around it (fpdf2).

Chinese names and titles need a CJK font: Debian's fonts-noto-cjk (installed by
scripts/ensure_fonts.sh from `make run` and `make test`). Without it we fall back to DejaVu and log a warning, because
CJK characters would then come out as boxes.

The Certificate rows and when they are drawn: services.py.
"""

import io
import logging
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger("netwise.learning.certificates")

# Noto Sans CJK where Debian/Ubuntu (fonts-noto-cjk, installed by scripts/ensure_fonts.sh),
# Fedora (google-noto-sans-cjk-fonts) and Arch (noto-fonts-cjk) put it.
CJK_FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/google-noto-cjk"),
    Path("/usr/share/fonts/noto-cjk"),
    Path("/usr/local/share/fonts"),
)
CJK_SC_INDEX = 2  # the .ttc holds JP, KR, SC, TC, HK faces; SC is the third


def find_cjk_font(bold: bool = False) -> Path:
    """Noto Sans CJK's file on this machine (Debian's path when none is installed)."""
    name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
    for directory in CJK_FONT_DIRS:
        if (directory / name).exists():
            return directory / name
    return CJK_FONT_DIRS[0] / name


CJK_FONT = find_cjk_font()
CJK_BOLD_FONT = find_cjk_font(bold=True)
FALLBACK_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FALLBACK_BOLD_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

SIZE = (1600, 1130)  # A4 landscape ratio
INK = (27, 31, 36)
MUTED = (87, 96, 106)
ACCENT = (11, 92, 173)
PAPER = (255, 255, 255)


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    cjk = CJK_BOLD_FONT if bold and CJK_BOLD_FONT.exists() else CJK_FONT
    if cjk.exists():
        try:
            return ImageFont.truetype(str(cjk), size, index=CJK_SC_INDEX)
        except OSError:
            return ImageFont.truetype(str(cjk), size)
    logger.warning("CJK font %s missing: Chinese text on certificates will not render", CJK_FONT)
    fallback = FALLBACK_BOLD_FONT if bold and FALLBACK_BOLD_FONT.exists() else FALLBACK_FONT
    if fallback.exists():
        return ImageFont.truetype(str(fallback), size)
    return ImageFont.load_default(size)


def has_cjk_font() -> bool:
    return CJK_FONT.exists()


def _fit(draw, text, size, max_width, bold=False):
    """The largest font (from `size` down) at which `text` fits in `max_width`."""
    while size > 18:
        f = font(size, bold)
        if draw.textlength(text, font=f) <= max_width:
            return f
        size -= 4
    return font(size, bold)


def _centered(draw, y, text, f, fill):
    width = draw.textlength(text, font=f)
    draw.text(((SIZE[0] - width) / 2, y), text, font=f, fill=fill)


def render_png(*, name: str, course_title: str, school_name: str, issued_on: date) -> bytes:
    """The certificate image; labels in the active language."""
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    w, h = SIZE
    draw.rectangle([30, 30, w - 30, h - 30], outline=ACCENT, width=8)
    draw.rectangle([52, 52, w - 52, h - 52], outline=ACCENT, width=2)
    _centered(draw, 130, "NetWise", font(48, True), ACCENT)
    _centered(draw, 220, _("Certificate of completion"), font(64, True), INK)
    _centered(draw, 360, _("This certifies that"), font(36), MUTED)
    _centered(draw, 420, name, _fit(draw, name, 96, w - 240, True), INK)
    _centered(draw, 580, _("has completed the course"), font(36), MUTED)
    _centered(draw, 640, course_title, _fit(draw, course_title, 64, w - 240, True), ACCENT)
    line = f"{school_name} · {issued_on.isoformat()}" if school_name else issued_on.isoformat()
    _centered(draw, 860, line, _fit(draw, line, 36, w - 240), INK)
    _centered(draw, 920, _("Learning to use the internet safely, correctly and kindly."), font(28), MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_pdf(png: bytes, *, title: str = "NetWise certificate") -> bytes:
    """An A4 landscape PDF showing the PNG (so every script renders exactly as drawn)."""
    from fpdf import FPDF  # heavy, and only PDF paths need it: loaded on first use

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("NetWise")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.image(io.BytesIO(png), x=0, y=0, w=297, h=210)
    return bytes(pdf.output())
