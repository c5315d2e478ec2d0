"""Reads for "Get help". Every list starts from safeguarding.access."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.utils import timezone

from schools.models import AuditEvent

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


# How long a student's "My reports" explains why reports sent before a staff reset are not there.
RESET_NOTE_DAYS = 90


def recent_staff_reset(student, *, now=None):
    """When staff last reset the student's password, if within RESET_NOTE_DAYS; else None. Said
    whether or not the student has any report, so it tells nobody that one exists."""
    since = (now or timezone.now()) - timedelta(days=RESET_NOTE_DAYS)
    return (
        AuditEvent.objects.filter(
            action="student.password_reset",
            target_type=get_user_model()._meta.model_name,
            target_id=str(student.pk),
            created_at__gte=since,
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


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


# A report still "new" (no staff answer) after this long is flagged to every school admin.
WAITING_TOO_LONG = timedelta(days=2)


def school_case_summary(school, *, viewer, since, now=None) -> dict:
    """The Get help part of a school admin's home. A designated admin gets the live counts
    (`school_case_counts`); any other admin only who reads the reports and how many have waited
    more than WAITING_TOO_LONG for a first answer, never a live count that could be matched
    to a child seen upset that morning (2 queries)."""
    if access.designated_school_ids(viewer).filter(school_id=school.pk).exists():
        return {"designated": True, **school_case_counts(school, since=since)}
    cutoff = (now or timezone.now()) - WAITING_TOO_LONG
    return {
        "designated": False,
        "staff": recipients_for([school])[0][1],
        "waiting_long": Report.objects.filter(school=school, status=Report.Status.NEW, created__lt=cutoff).count(),
        "waiting_days": WAITING_TOO_LONG.days,
    }


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
