"""The question bank in the Wagtail admin, plus the import and item-statistics views."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
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
