"""Guardians: link codes, redeeming one, consent for an under-14 child, unlinking, sign-up."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role

from .. import audit
from ..models import ConsentRecord, GuardianLink, LinkCode, StudentProfile, normalise_code
from .common import (
    LINK_CODE_LENGTH,
    SchoolsError,
    check_guess_rate,
    count_wrong_guess,
    linked_guardians,
    school_admins,
    tell,
    unique_code,
)

User = get_user_model()

CONSENT_NOTICE_VERSION = "2025-09"


@transaction.atomic
def issue_link_code(*, actor, student, request=None) -> LinkCode:
    link_code = LinkCode.objects.create(
        student=student,
        code=unique_code(LinkCode, "code", LINK_CODE_LENGTH),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=LinkCode.LIFETIME_DAYS),
    )
    audit.record(actor=actor, action="link_code.issued", target=student, request=request)
    return link_code


@transaction.atomic
def redeem_link_code(*, guardian, code, request=None) -> GuardianLink:
    """The guardian enters a code: single use, expires, guessing rate-limited."""
    ip = audit.client_ip(request)
    check_guess_rate(guardian, ip)
    if guardian.role != Role.GUARDIAN:
        raise SchoolsError(_("Only parent or guardian accounts can link to a child."))
    link_code = (
        LinkCode.objects.select_for_update(of=("self",))
        .select_related("student__student_profile")
        .filter(code=normalise_code(code))
        .first()
    )
    if link_code is None:
        count_wrong_guess(guardian, ip)
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
        # The child's data was shown to the other guardians on that consent: for a child under
        # 14 their links wait for consent again (their page asks for it), as a first link does.
        if StudentProfile.objects.filter(user=link.student, under_14=True).exists():
            GuardianLink.objects.filter(student=link.student, state=GuardianLink.State.ACTIVE).update(
                state=GuardianLink.State.PENDING, activated_at=None
            )
    audit.record(actor=guardian, action="guardian.unlinked", target=link.student, request=request)
    return link


@transaction.atomic
def sign_up_guardian(*, username, display_name, email, password, language=None) -> "User":
    """`language` is the sign-up page's (the request's active language): saved on the account
    so the digest, letters and notices use it. One NetWise does not offer gives the default."""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    user = User(username=username, display_name=display_name, email=email, role=Role.GUARDIAN, language=language)
    user.set_password(password)
    user.save()
    return user


def _notify_new_guardian_link(link):
    """A new guardian link is news for the school admin and the child's other guardians."""
    profile = StudentProfile.objects.filter(user=link.student_id).select_related("school").first()
    people = list(linked_guardians(link.student).exclude(pk=link.guardian_id))
    if profile is not None:
        people += list(school_admins(profile.school))
    tell(
        people,
        title=gettext_lazy("A new parent or guardian account was linked to a student"),
        body=gettext_lazy("If you do not recognise this, tell the school at once."),
    )
