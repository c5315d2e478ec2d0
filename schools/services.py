"""Writes for schools: classes, join codes, roster import, guardian links, consent,
staff management and privacy requests. Keyword-only arguments; each in one transaction."""

import csv
import io
import json
import logging
import re
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from accounts.passwords import generate_password
from accounts.roles import Role
from accounts.services import end_all_sessions
from jobs.services import enqueue
from notifications.services import notify

from . import audit, privacy, signals
from .models import (
    AuditEvent,
    Classroom,
    ConsentRecord,
    DeletionRequest,
    Enrollment,
    GuardianLink,
    LinkCode,
    School,
    SchoolMembership,
    StudentProfile,
    make_code,
    normalise_code,
)
from .roster import RosterResult

User = get_user_model()
logger = logging.getLogger("netwise.schools")

# Sent inside the deletion transaction, before the account goes. Receivers (learning,
# quizzes) anonymise what they keep as aggregates: `student_deleting.connect(handler)`;
# handler(sender, student, **kwargs).
student_deleting = Signal()
# Sent when a guardian asks for a child's deletion: handler(sender, student, due_at, **kwargs)
# (safeguarding tells its designated staff when the child has an open case).
student_deletion_requested = Signal()

CONSENT_NOTICE_VERSION = "2025-09"
JOIN_CODE_LENGTH = 6
LINK_CODE_LENGTH = 8
# Wrong join/link codes per hour: GUESS_LIMIT per signed-in account, and a higher ceiling
# per address, so one child cannot lock out a whole school behind one NAT address.
GUESS_LIMIT = 10
GUESS_IP_LIMIT = 100
GUESS_WINDOW = 60 * 60
UNDER_14_MAX_GRADE = 8  # grade 8 and below: mostly under 14 in China's system


class SchoolsError(Exception):
    """A user-facing refusal; str(exc) is a translated message."""


class RateLimited(SchoolsError):
    pass


# --- small helpers ------------------------------------------------------------


def first_time_password() -> str:
    """Four words from a list of over 2,000 (accounts/wordlist.txt): more than 44 bits."""
    return generate_password()


def _unique_code(model, field, length):
    for _attempt in range(20):
        code = make_code(length)
        if not model.objects.filter(**{field: code}).exists():
            return code
    raise RuntimeError("could not find a free code")


def _guess_keys(user, ip):
    """[(cache key, limit)]: the account's own count and its address's (higher) ceiling."""
    return [
        (f"schools:guess:user:{user.pk}", GUESS_LIMIT),
        (f"schools:guess:ip:{ip or '-'}", GUESS_IP_LIMIT),
    ]


def _check_rate(user, ip):
    if any(cache.get(key, 0) >= limit for key, limit in _guess_keys(user, ip)):
        raise RateLimited(_("Too many wrong codes. Please wait an hour and try again, or ask the school."))


def _count_failure(user, ip):
    for key, _limit in _guess_keys(user, ip):
        if cache.add(key, 1, GUESS_WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, GUESS_WINDOW)


# --- classes and join codes ------------------------------------------------------


@transaction.atomic
def create_classroom(*, teacher, school, name, grade=None, request=None) -> Classroom:
    classroom = Classroom.objects.create(
        school=school,
        name=name.strip(),
        grade=grade,
        join_code=_unique_code(Classroom, "join_code", JOIN_CODE_LENGTH),
    )
    if teacher.role == Role.TEACHER:
        classroom.teachers.add(teacher)
    audit.record(actor=teacher, action="class.created", target=classroom, request=request)
    return classroom


@transaction.atomic
def rename_classroom(*, actor, classroom, name, grade=None, request=None):
    old = classroom.name
    classroom.name = name.strip()
    classroom.grade = grade
    classroom.save(update_fields=["name", "grade"])
    audit.record(actor=actor, action="class.renamed", target=classroom, request=request, old=old)
    return classroom


@transaction.atomic
def set_archived(*, actor, classroom, archived: bool, request=None):
    classroom.archived_at = timezone.now() if archived else None
    classroom.save(update_fields=["archived_at"])
    audit.record(
        actor=actor,
        action="class.archived" if archived else "class.restored",
        target=classroom,
        request=request,
    )
    return classroom


@transaction.atomic
def rotate_join_code(*, actor, classroom, expires_in_days=None, request=None):
    classroom.join_code = _unique_code(Classroom, "join_code", JOIN_CODE_LENGTH)
    classroom.join_code_enabled = True
    classroom.join_code_expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    classroom.save(update_fields=["join_code", "join_code_enabled", "join_code_expires_at"])
    audit.record(actor=actor, action="class.join_code_rotated", target=classroom, request=request)
    return classroom


@transaction.atomic
def set_join_code_enabled(*, actor, classroom, enabled: bool, request=None):
    classroom.join_code_enabled = enabled
    if enabled and not classroom.join_code:
        classroom.join_code = _unique_code(Classroom, "join_code", JOIN_CODE_LENGTH)
    classroom.save(update_fields=["join_code", "join_code_enabled"])
    audit.record(
        actor=actor,
        action="class.join_code_on" if enabled else "class.join_code_off",
        target=classroom,
        request=request,
    )
    return classroom


def _ensure_student_in_school(student, school, grade):
    profile = StudentProfile.objects.filter(user=student).first()
    if profile is None:
        profile = StudentProfile.objects.create(
            user=student,
            school=school,
            grade=grade,
            under_14=grade is not None and grade <= UNDER_14_MAX_GRADE,
        )
    SchoolMembership.objects.get_or_create(user=student, school=school, role=SchoolMembership.Role.STUDENT)
    return profile


@transaction.atomic
def join_class(*, student, code, request=None) -> Classroom:
    """A student enters a class's join code. Wrong codes count toward the guess limit."""
    ip = audit.client_ip(request)
    _check_rate(student, ip)
    if student.role != Role.STUDENT:
        raise SchoolsError(_("Only student accounts can join a class."))
    classroom = Classroom.objects.select_related("school").filter(join_code=normalise_code(code)).first()
    if classroom is None:
        _count_failure(student, ip)
        raise SchoolsError(_("That code is not right. Check it with your teacher."))
    if classroom.is_archived or not classroom.join_code_enabled:
        raise SchoolsError(_("This class is not taking new students with a code. Ask your teacher."))
    if not classroom.join_code_usable():
        raise SchoolsError(_("This code has expired. Ask your teacher for a new one."))
    profile = StudentProfile.objects.filter(user=student).first()
    if profile is not None and profile.school_id != classroom.school_id:
        _count_failure(student, ip)
        raise SchoolsError(_("That code is not right. Check it with your teacher."))
    _ensure_student_in_school(student, classroom.school, classroom.grade)
    _enrollment, created = Enrollment.objects.get_or_create(student=student, classroom=classroom)
    if created:
        audit.record(
            actor=student,
            action="class.joined",
            target=classroom,
            request=request,
            student_id=student.pk,
        )
    return classroom


@transaction.atomic
def reset_student_password(*, actor, student, request=None) -> str:
    """New first-time password, shown once to `actor` (checked by the caller with
    access.can_reset_password). The student must change it before anything else
    (accounts/middleware.py), every session of theirs ends, it is audited, the student is
    told at their next log-in, and `student_password_reset` lets safeguarding tell the
    designated staff when the student has a "Get help" report."""
    password = first_time_password()
    now = timezone.now()
    student.set_password(password)
    student.must_change_password = True
    student.password_reset_by_staff_at = now
    student.save(update_fields=["password", "must_change_password", "password_reset_by_staff_at"])
    end_all_sessions(student)
    audit.record(actor=actor, action="student.password_reset", target=student, request=request)
    signals.student_password_reset.send(sender=User, student=student, actor=actor, reset_at=now)
    return password


# --- roster import ------------------------------------------------------------------


def _username_base(name: str, grade) -> str:
    ascii_part = slugify(name).replace("-", ".")
    ascii_part = re.sub(r"[^a-z0-9.]", "", ascii_part)[:24].strip(".")
    if ascii_part:
        parts = ascii_part.split(".")
        # "Wang Yu" -> s.wang.yu ; keep at most three parts.
        return "s." + ".".join(parts[:3])
    return f"s.g{grade or 0}"


def _assign_usernames(rows) -> list[str]:
    """Usernames for every row: the given one, or one made from the name, made unique
    against the database in a fixed number of queries."""
    wanted = [r.username or _username_base(r.name, r.grade) for r in rows]
    bases = set(w for r, w in zip(rows, wanted) if not r.username)
    taken = set()
    if bases:
        # One query per distinct prefix would grow; a regex-free prefix scan per base is
        # replaced by one query on all names starting with "s.".
        taken = set(User.objects.filter(username__startswith="s.").values_list("username", flat=True))
    given = [r.username for r in rows if r.username]
    if given:
        taken |= set(User.objects.filter(username__in=given).values_list("username", flat=True))
    result = []
    counters = {}
    for row, base in zip(rows, wanted):
        if row.username:
            result.append(row.username)
            continue
        fallback = base == f"s.g{row.grade or 0}"
        candidate = None if fallback or base in taken else base
        n = counters.get(base, 0 if fallback else 1)
        while candidate is None or candidate in taken:
            n += 1
            candidate = f"{base}.{n}" if fallback else f"{base}{n}"
        counters[base] = n
        taken.add(candidate)
        result.append(candidate)
    return result


def check_roster_usernames(result: RosterResult) -> RosterResult:
    """Add an error for every given username that already belongs to someone."""
    given = {r.username: r.line for r in result.rows if r.username}
    if given:
        for username in User.objects.filter(username__in=list(given)).values_list("username", flat=True):
            result.errors.append((given[username], _("the username %(u)s is already taken") % {"u": username}))
        if result.errors:
            result.errors.sort()
            bad = {line for line, _msg in result.errors}
            result.rows = [r for r in result.rows if r.line not in bad]
    return result


@transaction.atomic
def import_roster(*, actor, classroom, result: RosterResult, request=None):
    """Create an account per row and enrol it: all or nothing, a fixed number of queries
    per batch whatever the size. Returns [(name, username, password)]."""
    if result.errors or not result.rows:
        raise SchoolsError(_("The roster has errors; nothing was imported."))
    rows = result.rows
    usernames = _assign_usernames(rows)
    credentials = []
    users = []
    for row, username in zip(rows, usernames):
        password = first_time_password()
        credentials.append((row.name, username, password))
        users.append(
            User(
                username=username,
                display_name=row.name,
                role=Role.STUDENT,
                # The default hasher, like every account: no cheaper hash to time apart.
                password=make_password(password),
                must_change_password=True,
            )
        )
    User.objects.bulk_create(users, batch_size=500)
    if users and users[0].pk is None:  # backends without RETURNING
        ids = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
        for user in users:
            user.pk = user.id = ids[user.username]
    school = classroom.school
    StudentProfile.objects.bulk_create(
        [
            StudentProfile(
                user=u,
                school=school,
                grade=row.grade or classroom.grade,
                under_14=(row.grade or classroom.grade or 99) <= UNDER_14_MAX_GRADE,
            )
            for u, row in zip(users, rows)
        ],
        batch_size=1000,
    )
    SchoolMembership.objects.bulk_create(
        [SchoolMembership(user=u, school=school, role=SchoolMembership.Role.STUDENT) for u in users],
        batch_size=1000,
    )
    Enrollment.objects.bulk_create([Enrollment(student=u, classroom=classroom) for u in users], batch_size=1000)
    invites = [
        LinkCode(
            student=u,
            code=make_code(LINK_CODE_LENGTH),
            created_by=actor,
            expires_at=timezone.now() + timedelta(days=LinkCode.LIFETIME_DAYS),
            invited_email=row.guardian_email,
        )
        for u, row in zip(users, rows)
        if row.guardian_email
    ]
    if invites:
        LinkCode.objects.bulk_create(invites, batch_size=1000)
        ids = list(
            LinkCode.objects.filter(student__in=[i.student for i in invites], invited_email__gt="").values_list(
                "pk", flat=True
            )
        )
        # The outbox keeps the request even when the broker is down.
        enqueue("schools.send_link_code_invitations", ids)
    audit.record(
        actor=actor,
        action="roster.imported",
        target=classroom,
        request=request,
        count=len(users),
        guardian_invitations=len(invites),
    )
    return credentials


# --- guardians -------------------------------------------------------------------------


@transaction.atomic
def issue_link_code(*, actor, student, request=None) -> LinkCode:
    link_code = LinkCode.objects.create(
        student=student,
        code=_unique_code(LinkCode, "code", LINK_CODE_LENGTH),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=LinkCode.LIFETIME_DAYS),
    )
    audit.record(actor=actor, action="link_code.issued", target=student, request=request)
    return link_code


@transaction.atomic
def redeem_link_code(*, guardian, code, request=None) -> GuardianLink:
    """The guardian enters a code: single use, expires, guessing rate-limited."""
    ip = audit.client_ip(request)
    _check_rate(guardian, ip)
    if guardian.role != Role.GUARDIAN:
        raise SchoolsError(_("Only parent or guardian accounts can link to a child."))
    link_code = (
        LinkCode.objects.select_for_update(of=("self",))
        .select_related("student__student_profile")
        .filter(code=normalise_code(code))
        .first()
    )
    if link_code is None:
        _count_failure(guardian, ip)
        raise SchoolsError(_("That code is not right. Check the letter from school and try again."))
    if link_code.used_at is not None:
        raise SchoolsError(_("This code has already been used. Ask the school for a new one."))
    if not link_code.is_usable():
        raise SchoolsError(_("This code has expired. Ask the school for a new one."))
    student = link_code.student
    profile = getattr(student, "student_profile", None)
    needs_consent = profile is not None and profile.needs_consent
    now = timezone.now()
    link, _created = GuardianLink.objects.get_or_create(guardian=guardian, student=student)
    link.state = GuardianLink.State.PENDING if needs_consent else GuardianLink.State.ACTIVE
    link.activated_at = None if needs_consent else now
    link.revoked_at = None
    link.save()
    link_code.used_at = now
    link_code.used_by = guardian
    link_code.save(update_fields=["used_at", "used_by"])
    audit.record(
        actor=guardian,
        action="guardian.linked",
        target=student,
        request=request,
        state=link.state,
    )
    _notify_new_guardian_link(link)
    return link


@transaction.atomic
def give_consent(*, guardian, link, request=None) -> ConsentRecord:
    if link.guardian_id != guardian.pk or link.state == GuardianLink.State.REVOKED:
        raise SchoolsError(_("This link is not active."))
    now = timezone.now()
    record = ConsentRecord.objects.create(
        student=link.student,
        guardian=guardian,
        notice_version=CONSENT_NOTICE_VERSION,
        given_at=now,
        ip_address=audit.client_ip(request),
    )
    StudentProfile.objects.filter(user=link.student, consent_given_at__isnull=True).update(consent_given_at=now)
    link.state = GuardianLink.State.ACTIVE
    link.activated_at = now
    link.save(update_fields=["state", "activated_at"])
    audit.record(
        actor=guardian,
        action="consent.given",
        target=link.student,
        request=request,
        notice_version=CONSENT_NOTICE_VERSION,
    )
    return record


@transaction.atomic
def revoke_link(*, guardian, link, request=None):
    if link.guardian_id != guardian.pk:
        raise SchoolsError(_("This link is not yours."))
    link.state = GuardianLink.State.REVOKED
    link.revoked_at = timezone.now()
    link.save(update_fields=["state", "revoked_at"])
    # Consent given by this guardian is withdrawn with the link.
    ConsentRecord.objects.filter(guardian=guardian, student=link.student, withdrawn_at__isnull=True).update(
        withdrawn_at=link.revoked_at
    )
    if not ConsentRecord.objects.filter(student=link.student, withdrawn_at__isnull=True).exists():
        StudentProfile.objects.filter(user=link.student).update(consent_given_at=None)
    audit.record(actor=guardian, action="guardian.unlinked", target=link.student, request=request)
    return link


@transaction.atomic
def sign_up_guardian(*, username, display_name, email, password) -> "User":
    user = User(username=username, display_name=display_name, email=email, role=Role.GUARDIAN)
    user.set_password(password)
    user.save()
    return user


# --- staff -----------------------------------------------------------------------------------


@transaction.atomic
def invite_teacher(*, admin, school, username, display_name, email="", request=None):
    """Create a teacher account with a first-time password (shown once to the admin)."""
    password = first_time_password()
    teacher = User(
        username=username,
        display_name=display_name,
        email=email,
        role=Role.TEACHER,
        must_change_password=True,
    )
    teacher.set_password(password)
    teacher.save()
    SchoolMembership.objects.create(user=teacher, school=school, role=SchoolMembership.Role.TEACHER)
    audit.record(actor=admin, action="teacher.invited", target=teacher, school=school, request=request)
    return teacher, password


@transaction.atomic
def deactivate_teacher(*, admin, school, teacher, request=None):
    now = timezone.now()
    SchoolMembership.objects.filter(user=teacher, school=school, role=SchoolMembership.Role.TEACHER).update(
        is_active=False, deactivated_at=now
    )
    if not SchoolMembership.objects.filter(user=teacher, is_active=True).exists():
        teacher.is_active = False
        teacher.save(update_fields=["is_active"])
    audit.record(
        actor=admin,
        action="teacher.deactivated",
        target=teacher,
        school=school,
        request=request,
    )


# --- privacy ---------------------------------------------------------------------------------


def _csv(rows, header):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["'" + v if isinstance(v, str) and v.startswith(("=", "+", "-", "@")) else v for v in row])
    return out.getvalue()


# Other apps add their data to a child's export: receivers return {filename: rows(list of
# dicts)}; handler(sender, student, **kwargs).
student_exporting = Signal()


def export_student_data(*, actor, student, request=None) -> bytes:
    """A ZIP of JSON and CSV with everything NetWise holds about `student`: one part per
    app, registered in schools/privacy.py (what is left out, and why, is listed there).
    Confidential Get help records appear only for a viewer allowed to read them."""
    data = privacy.collect(student, actor)
    for _receiver, extra in student_exporting.send(sender=User, student=student):
        if extra:
            data.update(extra)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", json.dumps(data, indent=2, default=str, ensure_ascii=False))
        for key, rows in data.items():
            rows = [rows] if isinstance(rows, dict) else rows
            if rows:
                header = list(rows[0].keys())
                zf.writestr(
                    f"{key}.csv",
                    _csv(([r.get(h) for h in header] for r in rows), header),
                )
        zf.writestr(
            "README.txt",
            "NetWise data export for one student. data.json holds everything; "
            "the CSV files hold the same data as tables.\n"
            "Confidential Get help reports are included only for the school's designated "
            "safeguarding staff; notes that staff keep about a case are staff records and not "
            "part of this export.\n",
        )
    audit.record(actor=actor, action="student.exported", target=student, request=request)
    return buf.getvalue()


@transaction.atomic
def delete_student(*, actor, student, request=None):
    """Delete the account and personal data. Other apps keep anonymous aggregates by
    listening to `student_deleting` (sent first, inside this transaction)."""
    profile = StudentProfile.objects.filter(user=student).select_related("school").first()
    school = profile.school if profile else None
    student_deleting.send(sender=User, student=student, actor=actor)
    name = audit.pseudonym(student.pk)
    audit.record(
        actor=actor,
        action="student.deleted",
        school=school,
        request=request,
        student_ref=name,
    )
    # AuditEvents keep only the id: labels naming the child go with the account, and the
    # child's own actions show the pseudonym in the "who" column instead of the username.
    AuditEvent.objects.filter(target_type="user", target_id=str(student.pk)).update(target_label="")
    AuditEvent.objects.filter(actor=student).update(actor_label=name)
    DeletionRequest.objects.filter(student=student).update(student_ref=name)
    student.delete()


# --- deletion requested by a guardian --------------------------------------------------------


def deletion_grace() -> timedelta:
    return timedelta(days=settings.SCHOOLS_DELETION_GRACE_DAYS)


def _school_admins(school):
    return User.objects.filter(
        role=Role.SCHOOL_ADMIN,
        is_active=True,
        school_memberships__school=school,
        school_memberships__role=SchoolMembership.Role.SCHOOL_ADMIN,
        school_memberships__is_active=True,
    ).distinct()


def _linked_guardians(student):
    return User.objects.filter(
        role=Role.GUARDIAN,
        is_active=True,
        children_links__student=student,
        children_links__state=GuardianLink.State.ACTIVE,
    ).distinct()


def _tell(users, *, title, body="", url=""):
    """An in-app notice per person, in their language (`title`/`body` are lazy strings)."""
    for user in users:
        with override(user.language):
            notify(user=user, kind="general", title=str(title), body=str(body), url=url)


def _notify_new_guardian_link(link):
    """A new guardian link is news for the school admin and the child's other guardians."""
    profile = StudentProfile.objects.filter(user=link.student_id).select_related("school").first()
    people = list(_linked_guardians(link.student).exclude(pk=link.guardian_id))
    if profile is not None:
        people += list(_school_admins(profile.school))
    _tell(
        people,
        title=gettext_lazy("A new parent or guardian account was linked to a student"),
        body=gettext_lazy("If you do not recognise this, tell the school at once."),
    )


def _student_school(student):
    profile = StudentProfile.objects.filter(user=student).select_related("school").first()
    if profile is None:
        raise SchoolsError(_("This account has no school, so the school cannot handle the request. Ask the school."))
    return profile.school


def deletion_refusal(*, guardian, student, now=None) -> str | None:
    """Why `guardian` may not ask for `student`'s deletion now, or None. The link's age counts
    from its latest activation, so a link revoked and redeemed again is young again."""
    now = now or timezone.now()
    link = GuardianLink.objects.filter(guardian=guardian, student=student, state=GuardianLink.State.ACTIVE).first()
    if link is None:
        return _("Only a parent or guardian linked to this child can ask for the deletion.")
    linked_since = max(filter(None, [link.created_at, link.activated_at]))
    if linked_since > now - deletion_grace():
        return _(
            "You linked to this child less than %(days)d days ago, so you cannot ask for the account to be "
            "deleted yet. You can ask from %(date)s, or ask the school directly."
        ) % {
            "days": settings.SCHOOLS_DELETION_GRACE_DAYS,
            "date": timezone.localtime(linked_since + deletion_grace()).strftime("%Y-%m-%d"),
        }
    return None


@transaction.atomic
def request_deletion(*, guardian, student, request=None) -> DeletionRequest:
    """A linked guardian asks for the child's account to be deleted. Nothing is deleted now:
    the school admin and the other guardians are told and may object during the grace period."""
    now = timezone.now()
    refusal = deletion_refusal(guardian=guardian, student=student, now=now)
    if refusal:
        raise SchoolsError(refusal)
    existing = DeletionRequest.objects.filter(student=student, status=DeletionRequest.Status.PENDING).first()
    if existing is not None:
        return existing
    school = _student_school(student)
    deletion = DeletionRequest.objects.create(
        student=student, school=school, requested_by=guardian, due_at=now + deletion_grace()
    )
    audit.record(
        actor=guardian,
        action="student.deletion_requested",
        target=student,
        request=request,
        deletion_request=deletion.pk,
    )
    url = reverse("schools:deletion_request", args=[deletion.pk])
    _tell(
        list(_school_admins(school)) + list(_linked_guardians(student).exclude(pk=guardian.pk)),
        title=gettext_lazy("A parent or guardian asked to delete a student's account"),
        body=gettext_lazy("It will be carried out after the waiting period unless you object. Open it to object."),
        url=url,
    )
    student_deletion_requested.send(sender=DeletionRequest, student=student, due_at=deletion.due_at)
    return deletion


def can_object(user, deletion) -> bool:
    """The school admin, the requester (to withdraw) and the other actively linked guardians."""
    if not deletion.is_pending or deletion.student_id is None:
        return False
    if user.pk == deletion.requested_by_id:
        return True
    if _school_admins(deletion.school).filter(pk=user.pk).exists():
        return True
    return _linked_guardians(deletion.student_id).filter(pk=user.pk).exists()


def can_carry_out(user, deletion) -> bool:
    return (
        deletion.is_pending
        and deletion.student_id is not None
        and _school_admins(deletion.school).filter(pk=user.pk).exists()
    )


@transaction.atomic
def object_to_deletion(*, actor, deletion, reason, request=None) -> DeletionRequest:
    reason = (reason or "").strip()
    if not reason:
        raise SchoolsError(_("Please say why you object."))
    deletion = DeletionRequest.objects.select_for_update().get(pk=deletion.pk)
    if not can_object(actor, deletion):
        raise SchoolsError(_("This request is no longer waiting."))
    deletion.status = DeletionRequest.Status.CANCELLED
    deletion.decided_by = actor
    deletion.decided_at = timezone.now()
    deletion.objection = reason
    deletion.save(update_fields=["status", "decided_by", "decided_at", "objection"])
    audit.record(
        actor=actor,
        action="student.deletion_objected",
        target=deletion.student,
        request=request,
        deletion_request=deletion.pk,
        reason=reason,
    )
    people = {u.pk: u for u in _school_admins(deletion.school)}
    people.update({u.pk: u for u in _linked_guardians(deletion.student_id)})
    people.pop(actor.pk, None)
    _tell(
        people.values(),
        title=gettext_lazy("A request to delete a student's account was cancelled after an objection"),
        url=reverse("schools:deletion_request", args=[deletion.pk]),
    )
    return deletion


@transaction.atomic
def carry_out_deletion(*, deletion, actor=None, request=None) -> DeletionRequest:
    """Delete the account now: by the school admin (`actor`), or by the task when due."""
    deletion = DeletionRequest.objects.select_for_update(of=("self",)).select_related("student").get(pk=deletion.pk)
    if not deletion.is_pending or deletion.student is None:
        return deletion
    if actor is not None and not can_carry_out(actor, deletion):
        raise SchoolsError(_("Only the school admin can carry out a deletion early."))
    delete_student(actor=actor or deletion.requested_by, student=deletion.student, request=request)
    deletion.refresh_from_db()
    deletion.status = DeletionRequest.Status.CARRIED_OUT
    deletion.decided_by = actor
    deletion.decided_at = timezone.now()
    deletion.save(update_fields=["status", "decided_by", "decided_at"])
    return deletion


def carry_out_due_deletions(*, now=None) -> int:
    """Carry out every pending request whose grace period is over (the beat task)."""
    now = now or timezone.now()
    due = DeletionRequest.objects.filter(
        status=DeletionRequest.Status.PENDING, due_at__lte=now, student__isnull=False
    ).values_list("pk", flat=True)
    done = 0
    for pk in list(due):
        try:
            carry_out_deletion(deletion=DeletionRequest(pk=pk))
        except Exception:  # noqa: BLE001 - one failure must not hold back the others; retried next hour
            logger.exception("deletion request %s could not be carried out", pk)
            continue
        done += 1
    return done


def school_for_new_class(user):
    """The school a teacher creates a class in: their first active teaching school."""
    return (
        School.objects.filter(
            memberships__user=user,
            memberships__is_active=True,
            memberships__role__in=[
                SchoolMembership.Role.TEACHER,
                SchoolMembership.Role.SCHOOL_ADMIN,
            ],
        )
        .order_by("pk")
        .first()
    )
