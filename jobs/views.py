from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services


def operators_only(view):
    """Operators (superusers) only: failed jobs carry other people's errors, which may name
    them. Not `is_staff`, which every Wagtail editor has. Anyone else signed in gets 404, as
    everywhere in NetWise (Django's staff_member_required sent them to the admin log-in,
    confirming the job exists); anonymous visitors go to the ordinary log-in."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.is_operator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@login_required
def job_detail(request, pk):
    """Status of a job the person asked for ("queued", "running", "done")."""
    job = selectors.job_for_requester(request.user, pk)
    if job is None:
        raise Http404
    return render(request, "jobs/detail.html", {"job": job})


@operators_only
def failed_list(request):
    jobs = selectors.failed_jobs()[:200]
    return render(request, "jobs/failed_list.html", {"jobs": jobs})


@operators_only
@require_POST
def retry_job(request, pk):
    job = get_object_or_404(selectors.jobs_for_operators(), pk=pk)
    if services.retry(job):
        messages.success(request, _("The job is queued again."))
    else:  # a double click, or someone else pressed "Try again" a moment before
        messages.info(request, _("This job is not failed any more: it is queued again or has run."))
    return redirect("jobs:failed")
