"""Where the fonts are: Noto Sans CJK for Chinese (Debian's fonts-noto-cjk, installed by
scripts/ensure_fonts.sh from `make run` and `make test`), DejaVu as the Latin fallback."""

from pathlib import Path

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
