from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.coreutils import get_supported_content_language_variant

from accounts.decorators import role_required
from accounts.roles import Role

from . import documents, selectors, services
from .models import GUIDE_ROLES, CourseIndexPage, CoursePage, LessonPage

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
        results = selectors.search_curriculum(query)
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


# ---- The teacher's side (issue 17): guide, print views, family letter ----

# GUIDE_ROLES (models.py): never students or guardians (404). The curriculum is public to
# staff, so this is a role check only (courses knows nothing of schools).


def _reader_language(request) -> str:
    """`?lang=` when it names a site language (a teacher printing both), else the reader's."""
    wanted = request.GET.get("lang") or get_language() or settings.LANGUAGE_CODE
    try:
        return get_supported_content_language_variant(wanted)
    except LookupError:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def _in_language(page, code: str):
    """The live translation of `page` in language `code`, else `page` itself."""
    if page.locale.language_code == code:
        return page
    translation = (
        type(page)
        .objects.live()
        .filter(translation_key=page.translation_key, locale__language_code=code)
        .select_related("locale")
        .first()
    )
    return translation or page


def _render_in(request, code: str, template: str, context: dict, *, print_view: bool | None = None):
    """Render with the page's language active, so headings match the content; `print_view`
    (default: `?print=1`) drops the site's header, navigation and footer."""
    if print_view is None:
        print_view = request.GET.get("print") == "1"
    with translation.override(code):
        context.update(
            {
                "reader_language": code,
                "languages": settings.LANGUAGES,
                "print_view": print_view,
                "base_template": "courses/print_base.html" if print_view else "base.html",
            }
        )
        return render(request, template, context)


def _lesson(lesson_id):
    return get_object_or_404(LessonPage.objects.live().public().select_related("locale"), pk=lesson_id)


@role_required(*GUIDE_ROLES)
def teacher_guide(request, lesson_id):
    """The lesson's teacher guide in the reader's language (`?print=1`: without the site's chrome)."""
    code = _reader_language(request)
    lesson = _in_language(_lesson(lesson_id), code)
    course = _in_language(lesson.get_parent().specific, code)
    guide = lesson.guide
    context = {
        "lesson": lesson,
        "course": course,
        "guide": guide,
        "dimensions": documents.dimension_labels(lesson, code),
        "plan_minutes": sum(step["minutes"] for step in guide["plan"]) if guide else 0,
    }
    return _render_in(request, code, "courses/teacher_guide.html", context)


@role_required(*GUIDE_ROLES)
def lesson_print(request, lesson_id):
    """A lesson as a printable handout: its content without the site's chrome (scenario
    feedback stays folded, for the class to discuss); `?version=younger|older` prints that
    age version."""
    code = _reader_language(request)
    lesson = _in_language(_lesson(lesson_id), code)
    course = _in_language(lesson.get_parent().specific, code)
    context = {"lesson": lesson, "course": course, **lesson.age_version_context(request)}
    return _render_in(request, code, "courses/lesson_print.html", context, print_view=True)


@role_required(*GUIDE_ROLES)
def family_letter(request, course_id):
    """The module's one-page letter home, in the reader's language or `?lang=`."""
    code = _reader_language(request)
    course = get_object_or_404(CoursePage.objects.live().public().select_related("locale"), pk=course_id)
    course = _in_language(course, code)
    return _render_in(request, code, "courses/family_letter.html", {"course": course, "letter": course.letter})


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*GUIDE_ROLES)
def teacher_guide_pdf(request, lesson_id):
    """The teacher guide as a PDF made on the server (two A4 pages at most), in `?lang=`."""
    code = _reader_language(request)
    lesson = _in_language(_lesson(lesson_id), code)
    course = _in_language(lesson.get_parent().specific, code)
    with translation.override(code):
        data = documents.guide_pdf(lesson=lesson, course=course, code=code)
    return _pdf_response(data, f"netwise-guide-{lesson.slug}-{code}.pdf")


@role_required(*GUIDE_ROLES)
def family_letter_pdf(request, course_id):
    """The module's family letter as a one-page PDF, in `?lang=`."""
    code = _reader_language(request)
    course = get_object_or_404(CoursePage.objects.live().public().select_related("locale"), pk=course_id)
    course = _in_language(course, code)
    with translation.override(code):
        data = documents.letter_pdf(course=course, code=code)
    return _pdf_response(data, f"netwise-family-letter-{course.slug}-{code}.pdf")


def _step_number(request, count: int) -> int:
    """`?step=N` as a number from 1 to `count` (1 when missing or not a number)."""
    try:
        step = int(request.GET.get("step") or 1)
    except ValueError:
        step = 1
    return min(max(step, 1), max(count, 1))


@role_required(*GUIDE_ROLES)
def lesson_present(request, lesson_id):
    """The lesson's scenarios on the classroom screen, one step at a time (`?step=N`): no site
    chrome, no names, no learner data, in the teacher's language or `?lang=`."""
    code = _reader_language(request)
    lesson = _in_language(_lesson(lesson_id), code)
    version = lesson.age_version(request)  # staff choose with ?version=, as on the lesson page
    with translation.override(code):
        steps = selectors.present_steps(lesson, version)
    number = _step_number(request, len(steps))
    context = {
        "lesson": lesson,
        "version": version,
        "step": steps[number - 1] if steps else None,
        "number": number,
        "count": len(steps),
        "previous_step": number - 1 if number > 1 else None,
        "next_step": number + 1 if number < len(steps) else None,
    }
    return _render_in(request, code, "courses/present.html", context, print_view=True)


# The standards map is a school record: staff of any school, editors and district officers.
STANDARDS_ROLES = (*GUIDE_ROLES, Role.DISTRICT_OFFICER)


@role_required(*STANDARDS_ROLES)
def standards_map(request):
    """Every module x the Art. 13 dimensions and the two national standards it supports,
    printable on A4 landscape, in the reader's language or `?lang=`."""
    code = _reader_language(request)
    with translation.override(code):
        rows = selectors.standards_map(code=code)
        note = documents.standards_note()
    return _render_in(request, code, "courses/standards_map.html", {"rows": rows, "note": note})


@role_required(*STANDARDS_ROLES)
def standards_map_pdf(request):
    """The standards map as a PDF made on the server (A4 landscape), in `?lang=`."""
    code = _reader_language(request)
    with translation.override(code):
        rows = selectors.standards_map(code=code)
        data = documents.standards_pdf(rows=rows, code=code)
    return _pdf_response(data, f"netwise-standards-map-{code}.pdf")
