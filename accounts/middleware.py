"""Forced password change: an account with `must_change_password` (roster import, teacher
invite, staff reset) reaches only the change-password page until it sets its own password.

The change-password page shows the emergency numbers, so a child is never cut off from
help. Everything else answers a redirect there (HTMX requests: 403 with HX-Redirect), before
any view runs: a staff-issued credential opens nothing of the child's, not even their "Get
help" reports (docs/access.md).
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# URL names a must-change account may still open (besides static files and /healthz).
ALLOWED_URL_NAMES = ("accounts:password_change", "accounts:logout", "healthz", "set_language", "javascript-catalog")


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password and not self._allowed(request):
            target = reverse("accounts:password_change")
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=403)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _allowed(request) -> bool:
        path = request.path
        static_url = settings.STATIC_URL or "/static/"
        if not static_url.startswith("/"):
            static_url = "/" + static_url
        if path.startswith(static_url):
            return True
        return path in {reverse(name) for name in ALLOWED_URL_NAMES}
