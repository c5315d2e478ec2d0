from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale, Page

from . import services
from .models import CourseIndexPage, CoursePage, LessonPage

SEARCH_PAGE_SIZE = 20


def catalogue(request):
    """The catalogue is a Wagtail page; this name lets menus link to it."""
    index = CourseIndexPage.objects.live().public().order_by("path").first()
    if index is None:
        raise Http404
    url = index.get_url(request)
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    page_obj = None
    if query:
        found = list(Page.objects.live().public().type(CoursePage, LessonPage).search(query, operator="and"))
        # The curriculum exists in two languages: a page found in both is listed once, in
        # the active language (its URL is the same either way).
        active = Locale.get_active().pk
        preferred = {page.translation_key for page in found if page.locale_id == active}
        results = [page for page in found if page.locale_id == active or page.translation_key not in preferred]
        page_obj = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"query": query, "page_obj": page_obj, "query_string": urlencode({"q": query})}
    return render(request, "courses/search.html", context)


@login_required
@require_POST
def lesson_done(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live().public(), pk=lesson_id)
    if request.POST.get("undo"):
        services.mark_lesson_not_done(user=request.user, lesson=lesson)
        messages.info(request, _("Marked as not done."))
        return redirect(lesson.get_url(request))
    services.mark_lesson_done(user=request.user, lesson=lesson)
    messages.success(request, _("Lesson marked as done. Well done!"))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(lesson.get_url(request))
