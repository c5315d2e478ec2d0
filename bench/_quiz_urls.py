import os

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as site_patterns


@require_POST
def bare(request):
    """The baseline: the same middleware stack (session, auth, CSRF), no work."""
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *site_patterns]

if os.environ.get("BENCH_WITHOUT_LEARNING") == "1":
    # Diagnostic only: measure the quiz engine without learning's progress receiver.
    from quizzes.signals import attempt_submitted

    attempt_submitted.disconnect(dispatch_uid="learning.attempt_submitted")
