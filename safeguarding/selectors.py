"""Reads for "Get help". Every list starts from safeguarding.access."""

from django.db.models import Case, Count, IntegerField, Max, Q, Value, When

from . import access
from .models import HelpContact, Report, SafeguardingDesignation
from .services import DEFAULT_CONTACTS


def case_list(*, user, status=""):
    qs = access.reports_visible_to(user).select_related("school").annotate(message_count=Count("messages"))
    if status:
        qs = qs.filter(status=status)
    # Open cases before closed ones, urgent first, then newest.
    rank = Case(
        When(status=Report.Status.NEW, then=Value(0)),
        When(status=Report.Status.IN_PROGRESS, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.order_by(rank, "-urgent", "-created")


def status_counts(*, user) -> dict:
    rows = access.reports_visible_to(user).values("status").annotate(n=Count("pk"))
    counts = {value: 0 for value in Report.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def conversation(report):
    return report.messages.select_related("author")


class _Contact:
    """A national channel shown when a student has no school list yet."""

    def __init__(self, data):
        self.__dict__.update({"url": "", **data})
        self.local_name = HelpContact(name=data["name"], name_zh=data["name_zh"]).local_name
        self.local_description = HelpContact(
            description=data["description"], description_zh=data["description_zh"]
        ).local_description


def help_contacts_for(user):
    """The student's school's list of where to get help now; the national channels if none."""
    contacts = list(HelpContact.objects.filter(school__in=access.student_schools(user)).order_by("order", "pk"))
    return contacts or [_Contact(d) for d in DEFAULT_CONTACTS]


def recipients_for(schools):
    """[(school, [designated staff])] so the student sees exactly who will read the report."""
    rows = {school.pk: (school, []) for school in schools}
    designations = SafeguardingDesignation.objects.filter(
        school__in=list(rows),
        staff__school_memberships__school_id__in=list(rows),
        staff__school_memberships__is_active=True,
        staff__school_memberships__role__in=access.STAFF_MEMBERSHIP_ROLES,
    ).select_related("staff")
    seen = set()
    for d in designations.order_by("staff__display_name"):
        if (d.school_id, d.staff_id) not in seen:
            seen.add((d.school_id, d.staff_id))
            rows[d.school_id][1].append(d.staff)
    return list(rows.values())


# --- for the home pages: counts and ids only, never a name or a word of a report ---------


def new_cases_for(user, *, limit=5) -> dict:
    """New (not yet picked up) cases a designated staff member may open: urgent first, then
    newest. Ids, urgency and the time each came in, nothing more (1 query, 0 if not designated)."""
    rows = list(
        access.reports_visible_to(user)
        .filter(status=Report.Status.NEW)
        .order_by("-urgent", "-created")
        .values("pk", "urgent", "created")[: limit + 1]
    )
    return {"cases": rows[:limit], "more": len(rows) > limit, "urgent": [r for r in rows if r["urgent"]]}


def replies_waiting_for(student, *, limit=3) -> list[dict]:
    """The student's reports with a staff reply newer than both the student's own last message
    and their last look at the report: ids and when the reply came, never its words (1 query)."""
    rows = (
        access.reports_visible_to(student)
        .annotate(
            last_reply=Max("messages__created", filter=Q(messages__from_student=False)),
            last_own=Max("messages__created", filter=Q(messages__from_student=True)),
        )
        .filter(last_reply__isnull=False)
        .order_by("-last_reply")
        .values("pk", "last_reply", "last_own", "student_seen_at")
    )
    return [r for r in rows[: limit * 3] if _unread(r["last_reply"], r["last_own"], r["student_seen_at"])][:limit]


def _unread(reply, *since) -> bool:
    return all(moment is None or reply > moment for moment in since)


def school_case_counts(school, *, since) -> dict:
    """A school's Get help cases as numbers only: open, urgent and open, closed since `since`
    (the term's start). For the school admin's home page: no name, no kind, no word (1 query)."""
    open_q = ~Q(status=Report.Status.CLOSED)
    return Report.objects.filter(school=school).aggregate(
        open=Count("pk", filter=open_q),
        urgent_open=Count("pk", filter=open_q & Q(urgent=True)),
        closed_this_term=Count("pk", filter=Q(status=Report.Status.CLOSED, closed_at__gte=since)),
    )


def school_contacts(school_ids) -> list:
    """Contacts a school set itself (not the national channels NetWise seeds): for families."""
    return list(HelpContact.objects.filter(school_id__in=list(school_ids), key="").order_by("school_id", "order", "pk"))
