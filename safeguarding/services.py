"""Writes for "Get help": every change is audited, and the right people are notified.

Callers pass objects they loaded through safeguarding.access, so these functions trust
their arguments' scope but still refuse what the rules forbid (a report to another school).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.models import Notification
from notifications.services import mark_read, notify
from notifications.text import joined, moment, text
from schools.audit import pseudonym, record

from . import access
from .models import (
    Attachment,
    HelpContact,
    Report,
    ReportMessage,
    SafeguardingDesignation,
    SafeguardingPolicy,
    SchoolBreakSetting,
    StaffNote,
)
from .uploads import CleanImage


def audit(*, actor, action, target, request=None, **details):
    return record(actor=actor, action=f"safeguarding.{action}", target=target, request=request, **details)


# Notification kinds (notifications.models.Notification.Kind): staff get a general notice,
# the student a "reply to your message".
STAFF_KIND = "general"
STUDENT_KIND = "help_reply"


def tell(*, user, title, body="", url="", kind=STAFF_KIND):
    """An in-app notice about Get help (messages from notifications.text: said in the reader's language)."""
    notify(user=user, kind=kind, title=title, body=body, url=url)


def designated_staff(school):
    return access.staff_of(school).filter(safeguarding_designations__school=school)


# --- how many new reports a student may file -----------------------------------
# A humane limit: SAFEGUARDING_REPORTS_PER_HOUR per rolling hour and
# SAFEGUARDING_REPORTS_PER_DAY per rolling 24 hours, per student (across schools), counted
# from the reports table so every web process agrees. Replies in an existing case
# (add_message) are deliberately not limited: a student talking with a named adult must
# never be cut off mid-conversation.


class ReportLimitReached(Exception):
    """The student has filed as many reports as allowed for now; nothing was stored."""

    def __init__(self, *, hour_count, day_count, had_images=False):
        super().__init__("Report limit reached.")
        self.hour_count = hour_count
        self.day_count = day_count
        self.had_images = had_images

    @property
    def daily(self) -> bool:
        return self.day_count >= report_limits()[1]

    @property
    def paragraphs(self) -> list[str]:
        return limit_message(refused=True, had_images=self.had_images, urgent_still_open=not self.daily)


def limit_message(*, refused: bool, had_images: bool = False, urgent_still_open: bool = False) -> list[str]:
    """What the student reads at the limit: kind, what still works, and where to get help now.
    `refused` when a report was just turned away (its words stay in the form; browsers never
    refill a file input, so screenshots must be chosen again)."""
    if refused:
        lead = _(
            "You have sent several reports recently, so this new one has not been sent yet. "
            "What you wrote is still in the form below, so nothing is lost."
        )
        if had_images:
            lead += " " + _("Screenshots cannot be kept, so please add them again when you send it.")
    else:
        lead = _("You have sent several reports recently, so you cannot send a new one just now.")
    if urgent_still_open:
        lead += " " + _(
            "If it is urgent, tick “This is urgent: I need help today” and send it: urgent reports still go through."
        )
    return [
        lead,
        _(
            "Your school's safeguarding staff will see the reports you already sent. You can write "
            "more in a report that is still open, under “My reports”, or send a new report later."
        ),
        _("If you are in danger now, do not wait: use the contacts under “Need help right now?” on this page."),
    ]


def report_limits() -> tuple[int, int]:
    return settings.SAFEGUARDING_REPORTS_PER_HOUR, settings.SAFEGUARDING_REPORTS_PER_DAY


def recent_report_counts(student, *, now=None) -> tuple[int, int]:
    """Reports the student created in the last hour and the last 24 hours (one query)."""
    now = now or timezone.now()
    counts = Report.objects.filter(student=student, created__gt=now - timedelta(days=1)).aggregate(
        hour=Count("pk", filter=Q(created__gt=now - timedelta(hours=1))), day=Count("pk")
    )
    return counts["hour"], counts["day"]


def report_limit_reached(student, *, urgent=False, now=None) -> ReportLimitReached | None:
    """The refusal to raise if the student filed another report now, else None.

    A report marked urgent is not held back by the hourly limit, only by the daily one:
    a child in trouble who has already written several times must still get through."""
    hour, day = recent_report_counts(student, now=now)
    per_hour, per_day = report_limits()
    if (hour >= per_hour and not urgent) or day >= per_day:
        return ReportLimitReached(hour_count=hour, day_count=day)
    return None


def refuse_over_limit(*, student, school, urgent=False, had_images=False, request=None) -> ReportLimitReached | None:
    """Checked by the view BEFORE the form (and its screenshots) is processed: the refusal,
    audited like file_report's, or None. file_report checks again under the row lock."""
    refusal = report_limit_reached(student, urgent=urgent)
    if refusal:
        refusal.had_images = had_images
        audit(
            actor=student,
            action="report_limited",
            target=school,
            request=request,
            hour=refusal.hour_count,
            day=refusal.day_count,
            urgent=urgent,
        )
    return refusal


def file_report(*, student, school, kind, description, urgent=False, images: list[CleanImage] = (), request=None):
    """Store a student's report and tell the school's designated staff (never its content).

    Raises ReportLimitReached (and stores nothing but an audit line without content) when
    the student is over the hourly or daily limit."""
    try:
        return _file_report(
            student=student,
            school=school,
            kind=kind,
            description=description,
            urgent=urgent,
            images=images,
            request=request,
        )
    except ReportLimitReached as refusal:
        # Recorded after the rollback, so the refusal is kept while the report is not.
        audit(
            actor=student,
            action="report_limited",
            target=school,
            request=request,
            hour=refusal.hour_count,
            day=refusal.day_count,
            urgent=urgent,
        )
        raise


@transaction.atomic
def _file_report(*, student, school, kind, description, urgent, images, request):
    if not access.student_schools(student).filter(pk=school.pk).exists():
        raise PermissionDenied("Students report only to their own school.")
    # Lock the student's row so two submits at once cannot both pass the count
    # (a no-op on SQLite, which already runs one writer at a time).
    list(get_user_model().objects.select_for_update().filter(pk=student.pk).values_list("pk", flat=True))
    refusal = report_limit_reached(student, urgent=urgent)
    if refusal:
        refusal.had_images = bool(images)
        raise refusal
    report = Report.objects.create(
        student=student, school=school, kind=kind, description=description.strip(), urgent=urgent
    )
    for img in images:
        Attachment.objects.create(
            report=report, image=img.content, content_type=img.content_type, width=img.width, height=img.height
        )
    audit(actor=student, action="report_filed", target=report, request=request, attachments=len(images))
    url = reverse("safeguarding:case_detail", args=[report.pk])
    staff = list(designated_staff(school))
    title = text(
        gettext_noop("Urgent: a student asked for help") if urgent else gettext_noop("A student asked for help")
    )
    body = text(gettext_noop("Open the case to read it and reply."))
    for person in staff:
        tell(user=person, title=title, body=body, url=url)
    if not staff:
        # Nobody can read it yet: tell the school's admins to designate someone (no content).
        title = text(gettext_noop("A student's help report is waiting: nobody is designated to read it"))
        body = text(gettext_noop("Designate safeguarding staff now so the report reaches someone."))
        for admin in access.admins_of(school):
            tell(user=admin, title=title, body=body, url=reverse("safeguarding:designations"))
    return report


def mark_seen_by_student(report, *, now=None) -> None:
    """The student has opened their report, and so read every reply so far: their home stops
    announcing it, and so do the reply notices that lead here."""
    Report.objects.filter(pk=report.pk).update(student_seen_at=now or timezone.now())
    mark_read(user=report.student, url=reverse("safeguarding:report_detail", args=[report.pk]))


# --- after staff reset a student's password ------------------------------------------------


def hide_reports_from_account(*, student, at) -> list[Report]:
    """Staff reset the student's password, so whoever logs in with it next may be the adult who
    reset it: take every report of theirs off the account's pages (list, report, screenshots,
    home, privacy export) and drop the reply notices that would say a report exists. The reports
    themselves are untouched; designated staff still read them, and show them again
    (`show_reports_again`) once they have checked with the student in person. The reports
    affected (none if the student never sent one)."""
    reports = list(Report.objects.filter(student=student, hidden_from_student_at__isnull=True))
    if reports:
        Report.objects.filter(pk__in=[r.pk for r in reports]).update(hidden_from_student_at=at)
        Notification.objects.filter(user=student, kind=STUDENT_KIND).delete()
    return reports


class StillOnIssuedPassword(ValidationError):
    """The student has not chosen their own password since the reset."""


@transaction.atomic
def show_reports_again(*, report, actor, request=None) -> int:
    """Designated staff have checked with the student in person: the student's hidden reports to
    the schools `actor` is designated for are on their account's pages again. Refused while the
    student still has the password staff issued (whoever reset it knows it). How many."""
    student = report.student
    if student is None or report.hidden_from_student_at is None:
        return 0
    if student.must_change_password:
        raise StillOnIssuedPassword(
            _("The student has not chosen their own password yet. Ask them to log in and choose one first.")
        )
    shown = (
        access.reports_visible_to(actor)
        .filter(student=student, hidden_from_student_at__isnull=False)
        .update(hidden_from_student_at=None)
    )
    audit(actor=actor, action="reports_shown_again", target=report, request=request, reports=shown)
    return shown


def _tell_student(report, **notice) -> None:
    """A notice to the report's student, unless the report is off their account's pages (its
    existence is not announced to whoever holds a staff-reset password)."""
    if report.student_gone or report.hidden_from_student_at is not None:
        return
    tell(user=report.student, url=reverse("safeguarding:report_detail", args=[report.pk]), kind=STUDENT_KIND, **notice)


@transaction.atomic
def add_message(*, report, author, body, request=None):
    """A reply in the conversation. Staff replies move a new case into progress and tell
    the student; student replies tell the designated staff."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Please write a message."))
    if report.student_gone:
        raise ValidationError(_("This student's account was deleted: nobody can receive a reply. Add a private note."))
    from_student = author.pk == report.student_id
    if report.is_closed and from_student:
        raise ValidationError(_("This report is closed. If you need more help, send a new report."))
    msg = ReportMessage.objects.create(report=report, author=author, body=body, from_student=from_student)
    if from_student:
        audit(actor=author, action="student_replied", target=report, request=request)
        url = reverse("safeguarding:case_detail", args=[report.pk])
        title = text(gettext_noop("A student replied on a help case"))
        for person in designated_staff(report.school):
            tell(user=person, title=title, url=url)
    else:
        if report.status == Report.Status.NEW:
            report.status = Report.Status.IN_PROGRESS
            report.save(update_fields=["status", "updated"])
        audit(actor=author, action="staff_replied", target=report, request=request)
        _tell_student(
            report,
            title=text(gettext_noop("Someone at school replied to your report")),
            body=text(gettext_noop("Open “My reports” to read it.")),
        )
    return msg


@transaction.atomic
def add_note(*, report, author, body, request=None):
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Please write a note."))
    note = StaffNote.objects.create(report=report, author=author, body=body)
    audit(actor=author, action="note_added", target=report, request=request)
    return note


@transaction.atomic
def change_status(*, report, actor, status, outcome="", request=None):
    if status not in Report.Status.values:
        raise ValidationError(_("Unknown status."))
    outcome = (outcome or "").strip()
    if status == Report.Status.CLOSED and not outcome:
        raise ValidationError(_("Please write the outcome before closing the case."))
    old = report.status
    if old == Report.Status.CLOSED and status == Report.Status.CLOSED:
        # An outcome, once written, stays: more goes in a note (or reopen, then close again).
        raise ValidationError(_("This case is already closed. Add a private note to record anything more."))
    if old == Report.Status.CLOSED and report.outcome:
        # Reopened: the outcome written at closing goes into the notes, word for word, so closing
        # again later cannot rewrite it.
        StaffNote.objects.create(
            report=report,
            author=actor,
            body=_("Case reopened. The outcome written when it was closed on %(date)s:")
            % {"date": formats.date_format(timezone.localtime(report.closed_at), "DATETIME_FORMAT")}
            + "\n"
            + report.outcome,
        )
    report.status = status
    if status == Report.Status.CLOSED:
        report.outcome = outcome
        report.closed_at = timezone.now()
    else:
        report.closed_at = None
    report.save(update_fields=["status", "outcome", "closed_at", "updated"])
    audit(actor=actor, action="status_changed", target=report, request=request, old=old, new=status)
    if old != status:
        _tell_student(
            report, title=text(gettext_noop("Your report is now: %(status)s"), status=Report.Status(status).label)
        )
    return report


@transaction.atomic
def designate(*, school, staff, by, request=None):
    if not access.schools_user_can_designate_for(by).filter(pk=school.pk).exists():
        raise PermissionDenied
    if not access.staff_of(school).filter(pk=staff.pk).exists():
        raise ValidationError(_("Only active staff of this school can be designated."))
    designation, created = SafeguardingDesignation.objects.get_or_create(
        school=school, staff=staff, defaults={"designated_by": by}
    )
    if created:
        audit(actor=by, action="staff_designated", target=school, request=request, staff_id=staff.pk)
        _tell_team_of_change(
            school,
            by=by,
            told=[*designated_staff(school)],
            title=gettext_noop("%(staff)s can now read your school's help reports"),
            staff=staff,
        )
    return designation


@transaction.atomic
def undesignate(*, school, staff, by, request=None):
    if not access.schools_user_can_designate_for(by).filter(pk=school.pk).exists():
        raise PermissionDenied
    deleted, _rows = SafeguardingDesignation.objects.filter(school=school, staff=staff).delete()
    if deleted:
        audit(actor=by, action="staff_undesignated", target=school, request=request, staff_id=staff.pk)
        _tell_team_of_change(
            school,
            by=by,
            told=[*designated_staff(school), staff],
            title=gettext_noop("%(staff)s can no longer read your school's help reports"),
            staff=staff,
        )
    return bool(deleted)


def _tell_team_of_change(school, *, by, told, title, staff) -> None:
    """Who may read the school's reports changed: the designated staff (and whoever was removed)
    are told who did it, so nobody gives themselves access for a while unseen."""
    body = text(
        gettext_noop("Changed by %(by)s on %(date)s. Ask them, or your school admin, if this is unexpected."),
        by=by.get_display_name(),
        date=moment(timezone.now()),
    )
    title = text(title, staff=staff.get_display_name())
    for person in {p.pk: p for p in told}.values():
        tell(user=person, title=title, body=body, url=reverse("safeguarding:case_list"))


def _require_admin(by, school):
    if not access.schools_user_can_designate_for(by).filter(pk=school.pk).exists():
        raise PermissionDenied


@transaction.atomic
def add_contact(*, school, by, request=None, **fields):
    _require_admin(by, school)
    contact = HelpContact.objects.create(school=school, **fields)
    audit(actor=by, action="contact_added", target=school, request=request, contact=contact.name)
    return contact


@transaction.atomic
def remove_contact(*, contact, by, request=None):
    _require_admin(by, contact.school)
    audit(actor=by, action="contact_removed", target=contact.school, request=request, contact=contact.name)
    contact.delete()


@transaction.atomic
def set_break_minutes(*, school, minutes, by, request=None):
    _require_admin(by, school)
    setting, _created = SchoolBreakSetting.objects.update_or_create(
        school=school, defaults={"break_after_minutes": minutes}
    )
    audit(actor=by, action="break_setting_changed", target=school, request=request, minutes=minutes)
    return setting


@transaction.atomic
def set_retention_years(*, school, years, by, request=None):
    _require_admin(by, school)
    policy, _created = SafeguardingPolicy.objects.update_or_create(school=school, defaults={"retention_years": years})
    audit(actor=by, action="retention_changed", target=school, request=request, years=years)
    return policy


def retention_years(school) -> int:
    policy = SafeguardingPolicy.objects.filter(school=school).first()
    return policy.retention_years if policy else settings.SAFEGUARDING_RETENTION_YEARS


def retention_period(years: int) -> timedelta:
    return timedelta(days=365 * years + years // 4)


# --- when a student's account goes ------------------------------------------------
# Reports are never deleted with the account (Report.student is SET_NULL): they stay with
# the designated staff under a pseudonym until the retention period after closing ends.


def keep_reports_of_deleted_student(*, student, actor=None):
    """Inside the deletion transaction (schools.signals.student_deleting), before the
    account goes: stamp the pseudonym on the student's reports and tell the designated staff."""
    reports = list(Report.objects.filter(student=student).select_related("school"))
    name = pseudonym(student.pk)
    by_school = _by_school(student, reports)
    # One row per school for every deleted student, with reports or without, so that the row
    # beside "student.deleted" in the audit log ("Get help activity" to readers who are not
    # designated) says nothing about whether the child ever asked for help.
    for school, school_reports in by_school.values():
        audit(
            actor=actor,
            action="student_deletion_checked",
            target=school,
            reports=[r.pk for r in school_reports],
            pseudonym=name if school_reports else "",
        )
    if not reports:
        return 0
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        student_pseudonym=name, student_deleted_at=timezone.now()
    )
    for school, school_reports in by_school.values():
        if not school_reports:
            continue
        open_count = sum(1 for r in school_reports if not r.is_closed)
        title = text(gettext_noop("A student with help cases was deleted: %(name)s"), name=name)
        body = joined(
            text(
                gettext_noop(
                    "Their cases are kept under this pseudonym for the school's retention period. "
                    "Open cases stay open: you can add notes and close them, but nobody can reply to the student."
                )
            ),
            open_count and text(gettext_noop("%(n)d case(s) are still open."), n=open_count),
        )
        for person in designated_staff(school):
            tell(user=person, title=title, body=body, url=reverse("safeguarding:case_list"))
    return len(reports)


def _by_school(student, reports) -> dict:
    """{school id: (school, the reports to it)} for the student's school and every school the
    reports went to: the schools whose log gets one row however many reports there are."""
    by_school = {school.pk: (school, []) for school in access.student_schools(student)}
    for report in reports:
        by_school.setdefault(report.school_id, (report.school, []))[1].append(report)
    return by_school


def warn_of_deletion_request(*, student, due_at):
    """A guardian asked to delete a child who has an open case: the designated staff are told
    (the records will be kept either way)."""
    reports = list(Report.objects.filter(student=student).exclude(status=Report.Status.CLOSED).select_related("school"))
    by_school = _by_school(student, reports)
    # One row per school for every request, open cases or none (as on deletion, above).
    for school, school_reports in by_school.values():
        audit(
            actor=None,
            action="deletion_request_checked",
            target=school,
            open_reports=[r.pk for r in school_reports],
            due=due_at.isoformat(),
        )
    schools = {r.school_id: r.school for r in reports}
    for school in schools.values():
        title = text(gettext_noop("Deletion requested for a student with an open help case"))
        body = text(
            gettext_noop(
                "A guardian asked to delete the account of a student whose case is open. The case and its "
                "records will be kept for you under a pseudonym, but you can no longer reply once the account "
                "is deleted (due %(date)s)."
            ),
            date=moment(due_at),
        )
        for person in designated_staff(school):
            tell(user=person, title=title, body=body, url=reverse("safeguarding:case_list"))
    return len(schools)


def purge_expired_reports(*, now=None) -> int:
    """Delete the closed reports of deleted students whose retention period is over: the
    reports, messages, notes and attachments, and the screenshot files from the disk."""
    now = now or timezone.now()
    candidates = Report.objects.filter(student__isnull=True, status=Report.Status.CLOSED, closed_at__isnull=False)
    purged = 0
    for school_id in candidates.order_by().values_list("school_id", flat=True).distinct():
        school = Report.objects.filter(school_id=school_id).select_related("school").first().school
        cutoff = now - retention_period(retention_years(school))
        purged += _purge_school(school=school, reports=candidates.filter(school=school, closed_at__lt=cutoff))
    return purged


@transaction.atomic
def _purge_school(*, school, reports) -> int:
    ids = list(reports.select_for_update().values_list("pk", flat=True))
    if not ids:
        return 0
    files = list(Attachment.objects.filter(report_id__in=ids).values_list("image", flat=True))
    Report.objects.filter(pk__in=ids).delete()  # messages, notes and attachments cascade
    storage = Attachment._meta.get_field("image").storage

    def delete_files():
        for name in files:
            if name:
                storage.delete(name)

    # Files leave the disk only once the rows are gone for good.
    transaction.on_commit(delete_files)
    audit(actor=None, action="reports_purged", target=school, count=len(ids), attachments=len(files))
    title = text(
        gettext_noop("%(n)d closed help case(s) of deleted students reached the end of the retention period"),
        n=len(ids),
    )
    body = text(gettext_noop("Their reports, messages, notes and screenshots have now been deleted."))
    for person in designated_staff(school):
        tell(user=person, title=title, body=body, url=reverse("safeguarding:case_list"))
    return len(ids)


# National channels from the curriculum ("Help and reporting channels").
DEFAULT_CONTACTS = [
    {
        "key": "110",
        "name": "110 Police",
        "name_zh": "110 报警电话",
        "phone": "110",
        "description": "Danger, a crime, or money just lost: call now.",
        "description_zh": "遇到危险、违法犯罪或刚刚被骗钱：立即拨打。",
    },
    {
        "key": "12355",
        "name": "12355 Youth helpline",
        "name_zh": "12355 青少年服务台",
        "phone": "12355",
        "description": "Need to talk? Counselling and legal aid for young people (hours vary).",
        "description_zh": "想找人聊聊？共青团青少年心理咨询和法律援助（服务时间各地不同）。",
    },
    {
        "key": "12377",
        "name": "12377 Illegal and harmful content reporting",
        "name_zh": "12377 违法和不良信息举报",
        "phone": "12377",
        "url": "https://www.12377.cn",
        "description": (
            "Harmful content, rumours, defamation or privacy breaches: use the app's report button, then 12377."
        ),
        "description_zh": "有害内容、谣言、诽谤或隐私泄露：先用平台举报按钮，再向12377举报。",
    },
    {
        "key": "96110",
        "name": "96110 Anti-fraud line",
        "name_zh": "96110 反诈预警劝阻专线",
        "phone": "96110",
        "description": "Not sure if it's a scam? Ask 96110. A real call from it shows area code + 96110.",
        "description_zh": "不确定是不是诈骗？咨询96110。真正的来电显示为区号+96110。",
    },
]


def ensure_default_contacts(school):
    """Give a school the national channels it does not have yet (found by key)."""
    have = set(HelpContact.objects.filter(school=school).exclude(key="").values_list("key", flat=True))
    created = 0
    for order, data in enumerate(DEFAULT_CONTACTS, start=1):
        if data["key"] in have:
            continue
        HelpContact.objects.create(school=school, order=order * 10, **data)
        created += 1
    return created
