"""Reads for the outbox."""

from accounts.operators import is_operator

from .models import Job

__all__ = ["is_operator", "jobs_for_operators", "failed_jobs", "job_for_requester"]


def jobs_for_operators():
    return Job.objects.select_related("requested_by")


def failed_jobs():
    return jobs_for_operators().filter(status=Job.Status.FAILED)


def job_for_requester(user, job_id):
    """The job if `user` asked for it (operators see every job); None otherwise."""
    qs = Job.objects.all() if is_operator(user) else Job.objects.filter(requested_by=user)
    return qs.filter(pk=job_id).first()
