from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from learning.dashboards.charts import heat_level
from learning.dashboards.selectors import STATUS_ICON

register = template.Library()


@register.filter
def heat(value):
    return heat_level(value)


@register.filter
def due_date(value):
    """`10 Jan` this year, `10 Jan 2027` in any other: a header never hides which year."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    fmt = "MONTH_DAY_FORMAT" if local.year == timezone.localdate().year else "DATE_FORMAT"
    return date_format(local, fmt)


@register.filter
def percent(fraction):
    """0.41 -> 41."""
    return round(100 * (fraction or 0))


@register.filter
def discrimination_words(value):
    """Item discrimination (strongest third's score on the question minus the weakest third's)
    said in words a teacher can act on."""
    if value is None:
        return _("Too few answers to tell")
    if value >= 0.3:
        return _("Yes, clearly")
    if value >= 0.1:
        return _("A little")
    if value > -0.1:
        return _("No difference")
    return _("No: weaker students did better (check the question)")


@register.filter
def minutes(seconds):
    return round((seconds or 0) / 60)


def _detail_prefix(classroom):
    return reverse("learning:student_detail", args=[classroom.pk, 0])[: -len("0/")]


@register.simple_tag
def needs_help_items(rows, classroom):
    """The "Needs help" list's items in one pass (a {% url %} per student was most of the
    template's time for a large class)."""
    detail = _detail_prefix(classroom)
    # The reader's punctuation (Chinese "：" and "；"), as in the teacher home's rows.
    colon = escape(pgettext("after a name, before what is said about it", ": "))
    semi = escape(pgettext("between two statements on one line", "; "))
    return mark_safe(  # noqa: S308 - names, reasons and punctuation are escaped, the rest is ours
        "".join(
            f'<li><a href="{detail}{r.pk}/">{escape(r.name)}</a>{colon}'
            f"{semi.join(escape(reason) for reason in r.help_reasons)}</li>"
            for r in rows
        )
    )


@register.simple_tag(takes_context=True)
def matrix_header(context, assignments, can_assign):
    """The class matrix's column headers in one pass (a {% url %}, a {% pageurl %} and two date
    filters per column were a sixth of a 60-item dashboard's time): the item's link and kind,
    its due date, and the teacher's edit link."""
    request = context.get("request")
    edit = reverse("learning:assignment_edit", args=[0])[: -len("0/edit/")]
    due, edit_word = escape(_("due")), escape(_("Edit"))
    kinds = {}  # item kind: its name in the reader's language (a few kinds, many columns)
    out = []
    for a in assignments:
        title = escape(a.item.title)
        if a.item_kind not in kinds:
            kinds[a.item_kind] = escape(a.get_item_kind_display())
        parts = [
            f'<th scope="col"><a href="{escape(a.item.get_url(request=request) or "")}">{title}</a>'
            f'<br><span class="muted">{kinds[a.item_kind]}'
        ]
        if a.due_at:
            iso = timezone.localtime(a.due_at).isoformat() if timezone.is_aware(a.due_at) else a.due_at.isoformat()
            parts.append(f' · {due} <time datetime="{iso}">{escape(due_date(a.due_at))}</time>')
        parts.append("</span>")
        if can_assign:
            parts.append(
                f'<br><a class="no-print" href="{edit}{a.pk}/edit/">{edit_word}'
                f'<span class="visually-hidden"> {title}</span></a>'
            )
        parts.append("</th>")
        out.append("".join(parts))
    return mark_safe("".join(out))  # noqa: S308 - titles, words and dates are escaped, the rest is ours


@register.simple_tag
def matrix_rows(rows, classroom, n_columns):
    """The class matrix body, built in one pass: a template loop per cell is too slow for
    400 students × 60 items. Every status is shown as an icon and a word, never colour alone."""
    labels = {
        "completed": _("Completed"),
        "in_progress": _("In progress"),
        "not_started": _("Not started"),
        "overdue": _("Overdue"),
        "not_assigned": _("Not assigned"),
    }
    starts = {
        status: f'<td class="nw-cell nw-cell--{status}"><span aria-hidden="true">{STATUS_ICON[status]}</span> '
        f"<span>{escape(label)}</span>"
        for status, label in labels.items()
    }
    help_badge = f' <span class="badge badge--danger">⚑ {escape(_("needs help"))}</span>'
    detail = _detail_prefix(classroom)
    out = []
    for row in rows:
        parts = [f'<tr><th scope="row"><a href="{detail}{row.pk}/">{escape(row.name)}</a>']
        if row.help_reasons:
            parts.append(help_badge)
        parts.append("</th>")
        for c in row.cells:
            parts.append(starts[c.status])
            if c.score is not None:
                parts.append(f"<br><strong>{c.score}%</strong>")
                if c.attempts > 1:
                    tries = ngettext("%(n)s try", "%(n)s tries", c.attempts) % {"n": c.attempts}
                    parts.append(f' <span class="muted">({tries})</span>')
            parts.append("</td>")
        avg = f"{row.average}%" if row.average is not None else "—"
        parts.append(f"<td>{row.done}/{row.assigned}</td><td>{avg}</td></tr>")
        out.append("".join(parts))
    if not out:
        out.append(f'<tr><td colspan="{n_columns}">{escape(_("No student matches this filter."))}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every dynamic value above is escaped or numeric
