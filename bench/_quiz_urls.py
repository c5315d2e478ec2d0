from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as site_patterns


@require_POST
def bare(request):
    """The baseline: the same middleware stack (session, auth, CSRF), no work."""
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *site_patterns]
