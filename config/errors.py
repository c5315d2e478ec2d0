from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


class NotFoundPageMiddleware:
    """With DEBUG on (`make run`), answer every 404 with NetWise's page, as production does.

    Django ignores `handler404` in DEBUG and shows its technical page, which lists the whole
    URL map (every route of the site) to anyone who mistypes an address. This middleware
    answers unknown paths and `Http404` from views with config.errors.not_found first.
    It sits after CommonMiddleware, so the APPEND_SLASH redirect still works. With DEBUG
    off it does nothing (Django already uses handler404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG:
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                return not_found(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return not_found(request, exception)
        return None
