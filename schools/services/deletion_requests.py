"""A guardian's request to delete a child's account: carried out after a grace period unless
the school admin or another linked guardian objects; the school admin may carry it out early."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import audit
from ..models import DeletionRequest, GuardianLink, StudentProfile
from ..signals import student_deletion_requested
from .common import SchoolsError, linked_guardians, school_admins, tell
from .student_data import delete_student

logger = logging.getLogger("netwise.schools")


def deletion_grace() -> timedelta:
    return timedelta(days=settings.SCHOOLS_DELETION_GRACE_DAYS)


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
    tell(
        list(school_admins(school)) + list(linked_guardians(student).exclude(pk=guardian.pk)),
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
    if school_admins(deletion.school).filter(pk=user.pk).exists():
        return True
    return linked_guardians(deletion.student_id).filter(pk=user.pk).exists()


def can_carry_out(user, deletion) -> bool:
    return (
        deletion.is_pending
        and deletion.student_id is not None
        and school_admins(deletion.school).filter(pk=user.pk).exists()
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
    people = {u.pk: u for u in school_admins(deletion.school)}
    people.update({u.pk: u for u in linked_guardians(deletion.student_id)})
    people.pop(actor.pk, None)
    tell(
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
