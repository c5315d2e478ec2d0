"""Reads for "Get help". Every list starts from safeguarding.access."""

from django.db.models import Case, Count, IntegerField, Value, When

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
