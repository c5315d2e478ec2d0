"""Reads for the outbox."""

from .models import Job


def is_operator(user) -> bool:
    """Operators run the site: superusers. Editors are `is_staff` too (the Wagtail admin
    needs it), so `is_staff` never opens anything here."""
    return user.is_authenticated and user.is_active and user.is_superuser


def jobs_for_operators():
    return Job.objects.select_related("requested_by")


def failed_jobs():
    return jobs_for_operators().filter(status=Job.Status.FAILED)


def job_for_requester(user, job_id):
    """The job if `user` asked for it (operators see every job); None otherwise."""
    qs = Job.objects.all() if is_operator(user) else Job.objects.filter(requested_by=user)
    return qs.filter(pk=job_id).first()
