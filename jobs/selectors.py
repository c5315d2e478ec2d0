"""Reads for the outbox."""

from .models import Job


def jobs_for_staff():
    return Job.objects.select_related("requested_by")


def failed_jobs():
    return jobs_for_staff().filter(status=Job.Status.FAILED)


def job_for_requester(user, job_id):
    """The job if `user` asked for it (staff see every job); None otherwise."""
    qs = Job.objects.all() if user.is_staff else Job.objects.filter(requested_by=user)
    return qs.filter(pk=job_id).first()
