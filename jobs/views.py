from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def job_detail(request, pk):
    """Status of a job the person asked for ("queued", "running", "done")."""
    job = selectors.job_for_requester(request.user, pk)
    if job is None:
        raise Http404
    return render(request, "jobs/detail.html", {"job": job})


@staff_member_required
def failed_list(request):
    jobs = selectors.failed_jobs()[:200]
    return render(request, "jobs/failed_list.html", {"jobs": jobs})


@staff_member_required
@require_POST
def retry_job(request, pk):
    job = get_object_or_404(selectors.failed_jobs(), pk=pk)
    services.retry(job)
    messages.success(request, _("The job is queued again."))
    return redirect("jobs:failed")
