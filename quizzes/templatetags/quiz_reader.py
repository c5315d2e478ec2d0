"""The signed-in reader's standing on a quiz page: grade, attempts, whether another may start.

A template tag rather than QuizPage.get_context, so quizzes.models never imports the selectors
that read its own models (no import loop)."""

from types import SimpleNamespace

from django import template

from courses.i18n import source_page

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def quiz_reader(context, page):
    """`{% quiz_reader page as reader %}`: reader.summary, reader.attempts, reader.can_start
    (all empty for a visitor who is not signed in)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return SimpleNamespace(summary=None, attempts=[], can_start=False)
    # Attempts belong to the English quiz, whichever language the page is read in.
    quiz = source_page(page)
    summary = selectors.grade_for(student=user, quiz=quiz)
    return SimpleNamespace(
        summary=summary,
        attempts=selectors.attempts_for(student=user, quiz=quiz),
        can_start=selectors.can_start(student=user, quiz=quiz, result=summary),
    )
