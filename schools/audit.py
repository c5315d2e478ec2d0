"""The audit log: `record()` one event per sensitive action (exports, deletions, role
changes, link and consent events, staff opening a student's record)."""

from django.contrib.auth import get_user_model

from accounts.client_ip import client_ip as accounts_client_ip

from .models import AuditEvent, Classroom, School


def client_ip(request):
    """The caller's address: REMOTE_ADDR, or behind NETWISE_TRUSTED_PROXY_COUNT proxies
    the address they forwarded (accounts/client_ip.py; axes uses the same function)."""
    return accounts_client_ip(request)


def _school_for(target):
    if target is None:
        return None
    if isinstance(target, School):
        return target
    if isinstance(target, Classroom):
        return target.school
    school = getattr(target, "school", None)
    if isinstance(school, School):
        return school
    if isinstance(target, get_user_model()):
        profile = getattr(target, "student_profile", None)
        try:
            if profile is not None:
                return profile.school
        except Exception:  # noqa: BLE001 - a missing profile is simply no school
            return None
        membership = target.school_memberships.select_related("school").first()
        return membership.school if membership else None
    return None


def record(*, actor, action, target=None, request=None, school=None, **details):
    """Append one audit event. `details` must be JSON-serialisable.

    `school` is found from `target` when not given, so school admins see the event.
    """
    if school is None:
        school = _school_for(target)
    actor_ok = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if actor_ok else None,
        actor_label=actor.get_username() if actor_ok else "",
        action=action,
        school=school,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        details=details,
        ip_address=client_ip(request),
    )
