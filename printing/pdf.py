"""A4 PDFs with fpdf2 that print Chinese: the font registration every PDF shares, and a small
flowing document (headings, paragraphs, lists, tables) for text documents such as teacher guides
and family letters, which `fit()` shrinks until they fill at most a given number of pages."""

import logging
import re
from collections.abc import Callable, Iterable, Sequence

from . import fonts

logger = logging.getLogger("netwise.printing")

FAMILY = "NotoSansSC"
INK = (27, 31, 36)
MUTED = (87, 96, 106)
ACCENT = (11, 92, 173)
RULE = (214, 220, 228)
HEADER_FILL = (232, 236, 242)


def latin(text: str) -> str:
    """The core PDF fonts are Latin-1 only; other characters become '?'."""
    return text.encode("latin-1", "replace").decode("latin-1")


def register_fonts(pdf) -> tuple[str, Callable[[str], str]]:
    """Register the best Unicode font on `pdf`, regular and bold: Noto Sans CJK (SC face, subset
    into the file) so Chinese prints, else DejaVu (Latin, Greek, Cyrillic), else the core
    Helvetica. Returns the family name and a function that makes text safe for it."""
    try:
        if fonts.CJK_FONT.exists():
            number = fonts.CJK_SC_INDEX if fonts.CJK_FONT.suffix == ".ttc" else 0
            bold = fonts.CJK_BOLD_FONT if fonts.CJK_BOLD_FONT.exists() else fonts.CJK_FONT
            pdf.add_font(FAMILY, "", str(fonts.CJK_FONT), collection_font_number=number)
            pdf.add_font(FAMILY, "B", str(bold), collection_font_number=number)
            return FAMILY, str
        logger.warning("CJK font %s missing: Chinese text in PDFs will not render", fonts.CJK_FONT)
        if fonts.FALLBACK_FONT.exists():
            bold = fonts.FALLBACK_BOLD_FONT if fonts.FALLBACK_BOLD_FONT.exists() else fonts.FALLBACK_FONT
            pdf.add_font("DejaVu", "", str(fonts.FALLBACK_FONT))
            pdf.add_font("DejaVu", "B", str(bold))
            return "DejaVu", str
    except (OSError, RuntimeError, ValueError) as exc:
        logger.warning("no Unicode font for a PDF: %s", exc)
    return "Helvetica", latin


def new_pdf(*, orientation: str = "P", title: str = "", language: str = "", fonts_of=None):
    """An empty A4 FPDF (millimetres) with the shared fonts registered: (pdf, family, clean).

    `fonts_of` (a (pdf, family, clean) from an earlier call) reuses that document's parsed
    fonts: parsing Noto Sans CJK takes about a second, so trial layouts of one document
    (`fit`) parse it once."""
    from fpdf import FPDF  # heavy (~0.3 s), and only PDF paths need it: loaded on first use

    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.set_creator("NetWise")
    if title:
        pdf.set_title(title)
    if language:
        pdf.set_lang(language)
    if fonts_of is not None:
        earlier, family, clean = fonts_of
        pdf.fonts.update(earlier.fonts)
        pdf.pdf_version = max(pdf.pdf_version, earlier.pdf_version)  # CID-keyed CFF needs 1.6
        return pdf, family, clean
    family, clean = register_fonts(pdf)
    return pdf, family, clean


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(data: bytes) -> int:
    """How many pages a finished PDF has, read from the file itself (its page objects)."""
    return len(_PAGE.findall(data))


class Document:
    """A flowing A4 text document at a base font size (points). CJK text wraps at any character
    (it has no spaces); other text wraps at spaces."""

    def __init__(
        self,
        *,
        title: str,
        language: str = "en",
        size: float = 10.0,
        margin: float = 14.0,
        like=None,
        orientation: str = "P",
    ):
        """`like`: an earlier Document whose parsed fonts this one reuses (see new_pdf);
        `orientation`: "P" (portrait) or "L" (landscape)."""
        fonts_of = (like.pdf, like.family, like.clean) if like is not None else None
        self.pdf, self.family, self.clean = new_pdf(
            orientation=orientation, title=title, language=language, fonts_of=fonts_of
        )
        self.size = size
        self.cjk = language.lower().startswith("zh")
        self.line = size * 0.36 * (1.55 if self.cjk else 1.4)  # mm per line: pt → mm, plus leading
        self.pdf.set_margins(margin, margin, margin)
        self.pdf.set_auto_page_break(True, margin=margin)
        self.pdf.add_page()
        self.pdf.set_text_color(*INK)
        self.written: list[str] = []  # every text put on the page, in order (for tests and checks)

    @property
    def wrapmode(self) -> str:
        return "CHAR" if self.cjk else "WORD"

    def _font(self, *, bold: bool = False, scale: float = 1.0) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", self.size * scale)

    def _text(self, text: str, *, width: float = 0, scale: float = 1.0) -> None:
        self.written.append(text.strip())
        self.pdf.multi_cell(
            width,
            self.line * scale,
            self.clean(text.strip()),
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
            wrapmode=self.wrapmode,
        )

    def kicker(self, text: str) -> None:
        """A small muted line above the title."""
        self._font(scale=0.85)
        self.pdf.set_text_color(*MUTED)
        self._text(text, scale=0.85)
        self.pdf.set_text_color(*INK)

    def title(self, text: str) -> None:
        self._font(bold=True, scale=1.7)
        self._text(text, scale=1.5)
        self.pdf.ln(self.line * 0.3)

    def heading(self, text: str) -> None:
        """A section heading, kept with at least two lines of what follows it."""
        if self.pdf.will_page_break(self.line * 4):
            self.pdf.add_page()
        self.pdf.ln(self.line * 0.45)
        self._font(bold=True, scale=1.2)
        self.pdf.set_text_color(*ACCENT)
        self._text(text, scale=1.1)
        self.pdf.set_text_color(*INK)
        self.pdf.ln(self.line * 0.1)

    def paragraph(self, text: str, *, label: str = "", muted: bool = False) -> None:
        """A paragraph; `label` starts it in bold (e.g. "Objective:")."""
        if muted:
            self.pdf.set_text_color(*MUTED)
        if label:
            self.written.append(f"{label} {text.strip()}")
            self._font(bold=True)
            self.pdf.write(self.line, self.clean(label + " "), wrapmode=self.wrapmode)
            self._font()
            self.pdf.write(self.line, self.clean(text.strip()), wrapmode=self.wrapmode)
            self.pdf.ln(self.line)
        else:
            self._font()
            self._text(text)
        self.pdf.set_text_color(*INK)

    def items(self, texts: Iterable[str], *, numbered: bool = True) -> None:
        """A numbered (or bulleted) list with hanging indents."""
        self._font()
        indent = self.size * 0.6
        for number, text in enumerate(texts, 1):
            self.pdf.cell(indent, self.line, f"{number}." if numbered else "•")
            self._text(text, width=self.pdf.epw - indent)

    def terms(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Term — meaning, one per line."""
        for term, meaning in pairs:
            self.paragraph(meaning, label=f"{term}:")

    def table(self, header: Sequence[str], rows: Iterable[Sequence[str]], *, widths: Sequence[float]) -> None:
        """A bordered table; `widths` are relative column widths."""
        from fpdf.fonts import FontFace  # fpdf is loaded by now (new_pdf); imported here with it

        self._font(scale=0.95)
        self.pdf.set_draw_color(*RULE)
        with self.pdf.table(
            col_widths=tuple(widths),
            width=self.pdf.epw,
            text_align="LEFT",
            v_align="TOP",
            line_height=self.line * 0.95,
            padding=1.2,
            wrapmode=self.wrapmode,
            headings_style=FontFace(emphasis="B", fill_color=HEADER_FILL),
        ) as table:
            for values in [header, *rows]:
                cells = table.row()
                for value in values:
                    self.written.append(str(value).strip())
                    cells.cell(self.clean(str(value).strip()))
        self.pdf.ln(self.line * 0.2)

    @property
    def pages(self) -> int:
        return self.pdf.pages_count

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def fit(build: Callable[..., Document], *, max_pages: int, sizes: Sequence[float] = (10, 9.5, 9, 8.5, 8)) -> bytes:
    """The PDF from `build(size, like)` at the largest font size in `sizes` that fills at most
    `max_pages` pages (at the smallest size, and a warning, when none does). `like` is the
    previous trial (None at first), for Document(like=...) to reuse its fonts."""
    document = None
    for size in sizes:
        document = build(size, document)
        if document.pages <= max_pages:
            return document.output()
    logger.warning("a PDF fills %s pages at %spt, more than %s", document.pages, sizes[-1], max_pages)
    return document.output()
