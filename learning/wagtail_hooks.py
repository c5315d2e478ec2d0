"""Count a student's visit to a course, lesson or quiz page as it is served, and tell courses
which age version of a lesson a student sees."""

from wagtail import hooks

from courses.i18n import source_page

from .assignments.age_versions import age_version_for
from .progress import services as progress


@hooks.register("before_serve_page")
def record_learning_visit(page, request, serve_args, serve_kwargs):
    user = getattr(request, "user", None)
    if request.method == "GET" and user is not None and user.is_authenticated:
        if getattr(user, "is_student", False):
            # A translated page counts as its English source (progress is shared).
            progress.record_visit(student=user, page=source_page(page))
    return None


@hooks.register("lesson_age_version")
def lesson_age_version(request, lesson):
    """courses.LessonPage.age_version asks: an assignment's choice, else the student's grade."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_student", False):
        return None
    return age_version_for(student=user, lesson=lesson, course=lesson.course)
