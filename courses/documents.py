"""The teacher's printable documents as PDFs made on the server (issue 17): a lesson's teacher
guide (at most two A4 pages) and a module's family letter (one A4 page), in the language that
is active when they are built (the caller overrides it), through the shared printing helper."""

from django.utils.translation import gettext as _

from printing.pdf import Document, fit

from .models import DIMENSIONS

GUIDE_MAX_PAGES = 2
LETTER_MAX_PAGES = 1
STANDARDS_MAX_PAGES = 2
# The Art. 13 dimensions under their Chinese terms (未成年人网络保护条例 第十三条).
DIMENSION_TERMS_ZH = {"M": "网络道德意识", "L": "网络法治观念", "U": "网络使用能力", "S": "人身财产安全"}


def dimension_labels(lesson, code: str) -> list[dict]:
    """The lesson's literacy dimensions: code, label in language `code`, Chinese term."""
    return [
        {
            "code": letter,
            "label": DIMENSION_TERMS_ZH[letter] if code.startswith("zh") else str(DIMENSIONS[letter]),
            "term_zh": DIMENSION_TERMS_ZH[letter],
        }
        for letter in lesson.dimension_list
    ]


def phase_label(phase: str) -> str:
    return {
        "warm-up": _("Warm-up"),
        "scenario": _("Scenario"),
        "activity": _("Activity"),
        "exit-ticket": _("Exit ticket"),
    }.get(phase, phase)


def guide_pdf(*, lesson, course, code: str) -> bytes:
    """The lesson's teacher guide, as the guide page shows it, on at most two A4 pages."""

    def build(size, like):
        return guide_document(lesson=lesson, course=course, code=code, size=size, like=like)

    return fit(build, max_pages=GUIDE_MAX_PAGES)


def guide_document(*, lesson, course, code: str, size: float, like=None) -> Document:
    """The guide laid out at base font size `size` (points); `like`: see Document."""
    guide = lesson.guide
    minutes = sum(step["minutes"] for step in guide["plan"]) if guide else 0
    doc = Document(title=f"{_('Teacher guide')}: {lesson.title}", language=code, size=size, like=like)
    kicker = [_("Teacher guide"), f"{course.module_code} {course.title}".strip()]
    if minutes:
        kicker.append(_("%(m)s-minute class") % {"m": minutes})
    doc.kicker("NetWise · " + " · ".join(kicker))
    doc.title(lesson.title)
    doc.paragraph(lesson.objective, label=_("Objective:"))
    dimensions = dimension_labels(lesson, code)
    if dimensions:
        doc.paragraph(
            "; ".join(
                f"{d['code']} · {d['label']}" + ("" if d["label"] == d["term_zh"] else f" ({d['term_zh']})")
                for d in dimensions
            ),
            label=_("Literacy dimensions (Art. 13, Regulations on the Protection of Minors Online):"),
        )
    if guide:
        doc.heading(_("Essential question"))
        doc.paragraph(guide["essential_question"])
        doc.heading(_("Key vocabulary"))
        doc.terms((item["term"], item["meaning"]) for item in guide["vocabulary"])
        doc.heading(_("Plan for a %(m)s-minute class") % {"m": minutes})
        doc.table(
            [_("Phase"), _("Minutes"), _("What the class does")],
            ([phase_label(step["phase"]), str(step["minutes"]), step["activity"]] for step in guide["plan"]),
            widths=(18, 10, 72),
        )
        doc.heading(_("Exit ticket"))
        doc.items(guide["exit_ticket"])
        doc.heading(_("Discussion questions"))
        doc.items(guide["discussion"])
        doc.heading(_("Safeguarding notes"))
        doc.paragraph(guide["safeguarding"])
    else:
        doc.paragraph(_("The class plan for this lesson has not been written yet."))
    if lesson.teacher_notes:
        doc.heading(_("The law and facts behind it"))
        for paragraph in lesson.teacher_notes.split("\n\n"):
            doc.paragraph(" ".join(paragraph.split()))
    return doc


def letter_pdf(*, course, code: str) -> bytes:
    """The module's family letter on one A4 page."""

    def build(size, like):
        return letter_document(course=course, code=code, size=size, like=like)

    return fit(build, max_pages=LETTER_MAX_PAGES)


def letter_document(*, course, code: str, size: float, like=None) -> Document:
    """The letter laid out at base font size `size` (points); `like`: see Document."""
    letter = course.letter
    doc = Document(title=f"{_('Family letter')}: {course.title}", language=code, size=size + 1, like=like)
    doc.kicker(f"NetWise · {course.module_code}".strip(" ·"))
    doc.title(course.title)
    if not letter:
        doc.paragraph(_("The family letter for this module has not been written yet."))
        return doc
    doc.paragraph(letter["greeting"])
    doc.heading(_("What your child learned"))
    doc.paragraph(letter["learned"])
    doc.heading(_("Three things to talk about"))
    doc.items(letter["prompts"])
    doc.heading(_("Try together"))
    doc.paragraph(letter["try_together"])
    doc.heading(_("If you need help"))
    doc.paragraph(letter["help"])
    doc.paragraph(letter["closing"])
    return doc


def standards_cells(standards: dict | None) -> tuple[str, str, str]:
    """A module's three map cells as text: Art. 13 dimensions, 信息科技, 道德与法治."""
    if not standards:
        return ("", "", "")
    sep, sep_list = standards["sep"], standards["sep_list"]
    dims = sep.join(f"{d['code']} {d['label']}" for d in standards["dimensions"])
    it = standards["it"]
    modules = sep_list.join(m["text"] for m in it["modules"])
    it_text = "\n".join(
        [
            f"{_('Core literacies:')} {sep.join(it['literacies'])}",
            f"{_('Content modules:')} {modules}",
            f"{_('Logic strands:')} {sep.join(it['strands'])}",
        ]
    )
    me = standards["me"]
    me_text = "\n".join(
        [f"{_('Core literacies:')} {sep.join(me['literacies'])}", f"{_('Themes:')} {sep.join(me['themes'])}"]
    )
    return dims, it_text, me_text


def standards_pdf(*, rows: list[dict], code: str) -> bytes:
    """The standards map (modules × Art. 13, 信息科技, 道德与法治) on A4 landscape, two pages at most."""

    def build(size, like):
        return standards_document(rows=rows, code=code, size=size, like=like)

    return fit(build, max_pages=STANDARDS_MAX_PAGES, sizes=(9, 8.5, 8, 7.5, 7))


def standards_document(*, rows: list[dict], code: str, size: float, like=None) -> Document:
    """The map laid out at base font size `size` (points); `like`: see Document."""
    doc = Document(title=_("Standards map"), language=code, size=size, like=like, orientation="L", margin=10)
    sources = next((row["standards"]["sources"] for row in rows if row["standards"]), {})
    doc.kicker("NetWise · " + _("Standards map"))
    doc.title(_("What each module supports"))
    doc.paragraph(standards_note(), muted=True)
    doc.table(
        [_("Module"), sources.get("art13", ""), sources.get("it", ""), sources.get("me", "")],
        (
            [
                f"{row['module']} {row['course'].title if row['course'] else ''}".strip(),
                *standards_cells(row["standards"]),
            ]
            for row in rows
        ),
        widths=(16, 20, 36, 28),
    )
    return doc


def standards_note() -> str:
    """The map's note on what it is (the map page shows it too)."""
    return _(
        "This map is NetWise's reading of the standards, at the level of their core literacies and "
        "modules (no clause or page numbers), for a school's records."
    )
