"""The signed-in user's language (User.language) drives the interface and the curriculum."""

from django.conf import settings
from django.utils import translation


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
