"""Count a student's visit to a course, lesson or quiz page as it is served."""

from wagtail import hooks

from courses.i18n import source_page

from .progress import services as progress


@hooks.register("before_serve_page")
def record_learning_visit(page, request, serve_args, serve_kwargs):
    user = getattr(request, "user", None)
    if request.method == "GET" and user is not None and user.is_authenticated:
        if getattr(user, "is_student", False):
            # A translated page counts as its English source (progress is shared).
            progress.record_visit(student=user, page=source_page(page))
    return None
