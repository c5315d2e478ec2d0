"""Account middleware: the forced password change, and the signed-in user's language.

Forced password change: an account with `must_change_password` (roster import, teacher
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
from django.utils import translation

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


class UserLanguageMiddleware:
    """After LocaleMiddleware and authentication: a signed-in user sees NetWise in their saved
    language on any device, unless this browser chose one with the language switch (cookie),
    which also saves it on the account (accounts.views.set_language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and getattr(user, "language", "")
            and translation.check_for_language(user.language)
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
