"""Quiz screens in the learner's language: the English rows carry Chinese twins
(Question.text_zh ..., Choice.text_zh ...); these helpers swap them in for display only.
Scoring, attempts and statistics never see them."""

from .models import Choice, wants_chinese


def localise_options(question_views) -> list:
    """Option texts and feedback of the selectors' QuestionViews in Chinese when the active
    language is Chinese and a translation exists (one query); English otherwise."""
    if not wants_chinese():
        return question_views
    ids = [opt.id for qv in question_views for opt in qv.options]
    twins = {
        pk: (text, feedback)
        for pk, text, feedback in Choice.objects.filter(pk__in=ids).values_list("pk", "text_zh", "feedback_zh")
    }
    for qv in question_views:
        for opt in qv.options:
            text, feedback = twins.get(opt.id, ("", ""))
            if text:
                opt.text = text
            if feedback and opt.feedback:
                opt.feedback = feedback
    return question_views


def localised_page(page):
    """The live translation of a quiz page in the active language, else the page."""
    return page.localized if page is not None else page
