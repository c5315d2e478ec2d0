"""The bureau's annual-report files (XLSX and PDF), built by a worker in the officer's language.

Both are made from `sections()`: the same suppressed figures the district page shows, as
text ("hidden" where suppressed, explained above the tables), so a file can never say more
than the page.
The XLSX is written with learning's streaming writer, the PDF with fpdf2 (as learning's
summaries and certificates are), through printing.pdf: Noto Sans CJK when installed so Chinese renders.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from learning.exports.build import neutralise
from learning.exports.xlsx import StreamingXLSX
from printing.pdf import new_pdf

from . import selectors
from .models import DistrictExport
from .services import EXPORT_TTL


def sections(report: dict) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) for every table of the district report, as display text."""
    dims = [str(d["label"]) for d in report["dimensions"]]
    out = []
    rows = [
        [
            r["school"],
            str(r["learners"]),
            str(r["classes"]),
            str(r["modules"]),
            str(r["completion"]),
            str(r["score"]),
            str(r["reached"]),
            *[str(c) for c in r["dimensions"]],
        ]
        for r in report["schools"]
    ]
    t = report["total"]
    rows.append(
        [
            _("District total"),
            str(t["learners"]),
            str(t["classes"]),
            str(t["modules"]),
            str(t["completion"]),
            str(t["score"]),
            str(t["reached"]),
            *[str(c) for c in t["dimensions"]],
        ]
    )
    out.append(
        (
            _("Schools side by side"),
            [
                _("School"),
                _("Learners"),
                _("Classes"),
                _("Modules assigned"),
                _("Completion"),
                _("Average score"),
                _("Objectives reached"),
                *dims,
            ],
            rows,
        )
    )
    out.append(
        (
            _("By grade"),
            [_("Grade"), _("Learners"), _("Completion"), _("Average score"), _("Objectives reached")],
            [
                [str(r["grade"] or "—"), str(r["learners"]), str(r["completion"]), str(r["score"]), str(r["reached"])]
                for r in report["grades"]
            ],
        )
    )
    out.append(
        (
            _("Each school by grade"),
            [_("School"), _("Grade"), _("Learners"), _("Completion"), _("Average score"), _("Objectives reached")],
            [
                [
                    r["school"],
                    str(r["grade"] or "—"),
                    str(r["learners"]),
                    str(r["completion"]),
                    str(r["score"]),
                    str(r["reached"]),
                ]
                for r in report["school_grades"]
            ],
        )
    )
    out.append(
        (
            _("By module"),
            [
                _("Module"),
                _("Art. 13 dimensions"),
                _("Classes assigned"),
                _("Learners"),
                _("Completion"),
                _("Average score"),
                _("Objectives reached"),
            ],
            [
                [
                    r["module"],
                    r["dimensions"],
                    str(r["classes"]),
                    str(r["learners"]),
                    str(r["completion"]),
                    str(r["score"]),
                    str(r["reached"]),
                ]
                for r in report["modules"]
            ],
        )
    )
    out.append(
        (
            _("Completion by module and school"),
            [_("Module"), *report["school_names"]],
            [[r["module"], *[str(c) for c in r["by_school"]]] for r in report["modules"] if r["classes"]],
        )
    )
    out.append(
        (
            _("Learners completing something, by week"),
            [_("Week starting"), _("Learners"), _("Completions")],
            [[t["label"], str(t["learners"]), str(t["completions"])] for t in report["trend"]],
        )
    )
    help_rows = [[r["school"], *[str(c) for c in r["cells"]]] for r in report["help"]]
    help_rows.append([_("District total"), *[str(c) for c in report["help_total"]]])
    out.append((_("“Get help” reports per school and term"), [_("School"), *report["terms"]], help_rows))
    return out


def _intro(report) -> list[str]:
    return [
        _("NetWise district report: %(name)s") % {"name": report["district"].name},
        _("Figures refreshed: %(when)s") % {"when": report["refreshed_at"]},
        _(
            "“hidden” marks a figure about fewer than 5 learners, or one hidden so that such a "
            "figure cannot be worked out from the others."
        ),
    ]


def write_xlsx(fh, report) -> None:
    with StreamingXLSX(fh, title=_("District report")) as book:
        for line in _intro(report):
            book.append([neutralise(line)])
        for title, header, rows in sections(report):
            book.append([])
            book.append([neutralise(title)])
            book.append([neutralise(h) for h in header])
            for row in rows:
                book.append([neutralise(v) for v in row])


def write_pdf(fh, report) -> None:
    from fpdf.fonts import FontFace  # fpdf loads only when a PDF is made (new_pdf)

    pdf, family, clean = new_pdf(orientation="L", language=translation.get_language() or "")
    pdf.add_page()
    intro = _intro(report)
    pdf.set_font(family, "", 15)
    pdf.multi_cell(0, 8, clean(intro[0]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    for line in intro[1:]:
        pdf.multi_cell(0, 5, clean(line), new_x="LMARGIN", new_y="NEXT")
    for title, header, rows in sections(report):
        pdf.ln(3)
        pdf.set_font(family, "", 12)
        pdf.multi_cell(0, 7, clean(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 7)
        first = 70 if len(header) < 12 else 50
        rest = (pdf.epw - first) / max(len(header) - 1, 1)
        widths = [first] + [rest] * (len(header) - 1)
        with pdf.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=4.5,
            headings_style=FontFace(emphasis="", fill_color=(232, 236, 242)),
        ) as table:
            for row in [header, *rows]:
                cells = table.row()
                for value in row:
                    cells.cell(clean(str(value)))
    fh.write(bytes(pdf.output()))


def write_file(*, export: DistrictExport) -> DistrictExport:
    DistrictExport.objects.filter(pk=export.pk).update(status=DistrictExport.Status.RUNNING, progress=10)
    with translation.override(export.language or None):
        report = selectors.district_report(district=export.district)
        DistrictExport.objects.filter(pk=export.pk).update(progress=40)
        buffer = io.BytesIO()
        if export.format == DistrictExport.Format.XLSX:
            write_xlsx(buffer, report)
        else:
            write_pdf(buffer, report)
    DistrictExport.objects.filter(pk=export.pk).update(progress=90)
    stamp = date_format(timezone.localdate(), "Ymd")
    export.file.save(
        f"district-{export.district.slug}-{stamp}.{export.format}", ContentFile(buffer.getvalue()), save=False
    )
    now = timezone.now()
    export.status = DistrictExport.Status.DONE
    export.progress = 100
    export.finished_at = now
    export.expires_at = now + EXPORT_TTL
    export.save(update_fields=["file", "status", "progress", "finished_at", "expires_at"])
    return export


def build(export_id: int) -> DistrictExport | None:
    """Idempotent entry point for the task: a repeat after success does nothing."""
    export = (
        DistrictExport.objects.exclude(status=DistrictExport.Status.DONE)
        .select_related("district")
        .filter(pk=export_id)
        .first()
    )
    if export is None:
        return None
    try:
        return write_file(export=export)
    except Exception as exc:
        DistrictExport.objects.filter(pk=export.pk).update(status=DistrictExport.Status.FAILED, error=repr(exc)[:300])
        raise
