"""Taking a quiz: start, take (with autosave), submit, review. (Teachers' per-class item
statistics are learning's: learning.views.class_question_statistics.)"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.navigation import entries_for
from accounts.roles import Role
from courses.models import CoursePage

from . import selectors, services
from .forms import answers_from_post
from .i18n import localise_options, localised_page
from .models import Attempt, QuizPage

logger = logging.getLogger("netwise.quizzes")

MAX_BODY = 64 * 1024


def _own_attempt(request, attempt_id) -> Attempt:
    return get_object_or_404(Attempt.objects.select_related("quiz"), pk=attempt_id, student=request.user)


def _too_big(request) -> bool:
    return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY


def _parser(request):
    """The POST as answers, read against the attempt's layout once the service has it."""
    return lambda attempt: answers_from_post(request.POST, attempt)


def _bad(request, message, *, json=False, back=""):
    """400 with the message; the page links `back` (the quiz the learner came from), if given."""
    if json:
        return JsonResponse({"error": message}, status=400)
    return render(request, "quizzes/error.html", {"message": message, "back": back}, status=400)


def _refused(request, exc: services.QuizError, *, json=False, back=""):
    """A request the quiz rules refuse, told in the learner's language. The service's own
    message (English, naming the question or field at fault) goes to the log: a form the
    quiz page rendered cannot send an unreadable answer, so that one is a tampered or
    broken request, not something to explain to a child."""
    logger.info("quiz request refused: %s", exc)
    return _bad(request, str(_REFUSALS.get(type(exc), _UNREADABLE)), json=json, back=back)


_REFUSALS = {
    services.AttemptLimitReached: gettext_lazy("You have used all your attempts."),
    services.AttemptClosed: gettext_lazy("This attempt has already been submitted."),
    services.TimeLimitExceeded: gettext_lazy("The time limit has passed."),
}
_UNREADABLE = gettext_lazy("Some answers could not be read. Go back to the quiz, check them and submit again.")


@role_required(Role.STUDENT)
@require_POST
def start(request, quiz_id):
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    try:
        attempt = services.start_attempt(student=request.user, quiz=quiz)
    except services.QuizError as exc:
        return _refused(request, exc, back=localised_page(quiz).url)
    return redirect("quizzes:take", attempt_id=attempt.pk)


@login_required
@require_GET
def take(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    attempt = services.close_expired(attempt=attempt)
    if attempt.is_submitted:
        return redirect("quizzes:review", attempt_id=attempt.pk)
    questions = localise_options(selectors.attempt_questions(attempt=attempt))
    return render(
        request,
        "quizzes/take.html",
        {
            "attempt": attempt,
            "quiz": localised_page(attempt.quiz),
            "questions": questions,
            "seconds_left": selectors.seconds_left(attempt),
        },
    )


@login_required
@require_POST
def autosave(request, attempt_id):
    if _too_big(request):
        return _bad(request, _("Too much data."), json=True)
    try:
        services.save_answers(attempt_id=attempt_id, student=request.user, answers=_parser(request))
    except Attempt.DoesNotExist:
        raise Http404 from None
    except services.TimeLimitExceeded:
        # The page stayed open past the limit (a phone asleep, say): nothing more is accepted.
        # Grade what was saved by then, as a late Submit does, and send the page to the result.
        services.submit_attempt(attempt_id=attempt_id, student=request.user)
        review = reverse("quizzes:review", args=[attempt_id])
        return JsonResponse({"error": str(_REFUSALS[services.TimeLimitExceeded]), "review": review}, status=409)
    except services.QuizError as exc:
        return _refused(request, exc, json=True)
    return JsonResponse({"saved": True, "saved_at": timezone.now().isoformat()})


@login_required
@require_POST
def submit(request, attempt_id):
    if _too_big(request):
        return _bad(request, _("Too much data."), back=reverse("quizzes:take", args=[attempt_id]))
    # One read of the attempt, under its row lock, in the service; a double click, a replay,
    # the back button or a second tab gets the stored result without the POST being parsed.
    # A submit after the time limit closes the attempt with what was saved by then (the
    # service), and so does "Save" then: the review page says the time ran out.
    try:
        if request.POST.get("action") == "save":
            try:
                services.save_answers(attempt_id=attempt_id, student=request.user, answers=_parser(request))
            except services.TimeLimitExceeded:
                services.submit_attempt(attempt_id=attempt_id, student=request.user)
            else:
                messages.success(request, _("Your answers are saved."))
                return redirect("quizzes:take", attempt_id=attempt_id)
        else:
            services.submit_attempt(attempt_id=attempt_id, student=request.user, answers=_parser(request))
    except Attempt.DoesNotExist:
        raise Http404 from None
    except services.AttemptClosed:  # "save" on an attempt submitted meanwhile
        pass
    except services.QuizError as exc:
        return _refused(request, exc, back=reverse("quizzes:take", args=[attempt_id]))
    return redirect("quizzes:review", attempt_id=attempt_id)


def _course_of(quiz):
    """The course a quiz sits in (in the reader's language), or None for a quiz on its own."""
    parent = quiz.get_parent().specific
    return parent.localized if isinstance(parent, CoursePage) else None


@login_required
@require_GET
def review(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_submitted:
        return redirect("quizzes:take", attempt_id=attempt.pk)
    show = selectors.feedback_visible(attempt=attempt) and not attempt.quiz.is_precheck
    grade = selectors.grade_for(student=request.user, quiz=attempt.quiz)
    # While the answers are held back the page gets no key at all (no option's mark, feedback
    # or "Why"), only each question's result: see selectors.attempt_questions.
    answers = show and attempt.quiz.answers_visible(attempts_left=grade.attempts_to_submit)
    course = _course_of(attempt.quiz)
    return render(
        request,
        "quizzes/review.html",
        {
            "attempt": attempt,
            "quiz": localised_page(attempt.quiz),
            "show_feedback": show,
            "show_answers": answers,
            "answers_rule": attempt.quiz.answers_shown,
            "questions": localise_options(selectors.attempt_questions(attempt=attempt, review=show, answers=answers)),
            "grade": grade,
            "course": course,
            "precheck_words": selectors.precheck_words(attempt.percent) if attempt.quiz.is_precheck else "",
            "first_lesson": course.lessons().first() if course is not None and attempt.quiz.is_precheck else None,
            "next_steps": entries_for(request.user, slot="next"),
        },
    )
