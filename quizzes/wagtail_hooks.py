"""The question bank in the Wagtail admin, plus the import and item-statistics views."""

from django.contrib import messages
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views, regrade
from .models import Question


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "qtype", "topic", "ages", "updated_at"]
    list_filter = ["qtype", "topic"]
    search_fields = ["title", "text"]


register_snippet(QuestionViewSet)


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return [
        path("quizzes/import/", admin_views.import_questions, name="quizzes_import"),
        path("quizzes/export/", admin_views.export_questions, name="quizzes_export"),
        path("quizzes/stats/", admin_views.item_statistics, name="quizzes_stats"),
        path("quizzes/<int:quiz_id>/regrade/", admin_views.regrade_quiz, name="quizzes_regrade"),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return MenuItem(
        _("Import questions"),
        reverse("quizzes_import"),
        icon_name="upload",
        order=251,
    )


@hooks.register("register_admin_menu_item")
def register_stats_menu_item():
    return MenuItem(_("Question statistics"), reverse("quizzes_stats"), icon_name="table", order=252)


@hooks.register("before_edit_snippet")
def remember_the_key(request, instance):
    """The question's key before the editor's change (read again after it is saved)."""
    if isinstance(instance, Question) and request.method == "POST":  # only a save is compared
        request.netwise_key_before = regrade.key_now(instance.pk)


@hooks.register("after_edit_snippet")
def offer_a_regrade(request, instance):
    """A saved change to a question's answer key counts from the next attempt: say so, and point
    whoever may regrade at the quizzes whose attempts were graded with the old key."""
    before = getattr(request, "netwise_key_before", None)
    if not isinstance(instance, Question) or before is None or regrade.key_now(instance.pk) == before:
        return None
    quizzes = regrade.quizzes_with_attempts(instance.pk)
    if not quizzes:
        return None
    if request.user.has_perm("quizzes.add_regrade"):
        links = format_html_join(
            ", ", '<a href="{}">{}</a>', ((reverse("quizzes_regrade", args=[q.pk]), q.title) for q in quizzes)
        )
        text = gettext(
            "You changed this question's answer key. Attempts already taken were graded with the old one: "
            "check the grading of {quizzes}."
        )
        messages.warning(request, format_html(text, quizzes=links))
    else:
        text = gettext(
            "You changed this question's answer key. Attempts already taken were graded with the old one: "
            "ask a moderator to check the grading of %(quizzes)s."
        )
        messages.warning(request, text % {"quizzes": ", ".join(q.title for q in quizzes)})
    return None
