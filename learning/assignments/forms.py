from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from courses.selectors import titles_in_active_language
from quizzes.models import QuizPage

from ..models import AgeVersion
from ..progress.services import MODEL_KINDS


def assignable_pages():
    """English pages only: an assignment is to the lesson or quiz in whichever language the
    learner reads it (progress is recorded against the English source). Never a pre-check: it
    is optional and never counts, so it could never be done (QuizPage.Purpose)."""
    return (
        Page.objects.live()
        .filter(content_type__model__in=list(MODEL_KINDS), content_type__app_label__in=["courses", "quizzes"])
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .exclude(quizpage__purpose=QuizPage.Purpose.PRECHECK)
        .order_by("path")
    )


class PageChoiceField(forms.ModelChoiceField):
    """An English page, labelled with its title in the reader's language when translated."""

    titles: dict = {}

    def label_from_instance(self, obj):
        indent = "— " * max(obj.depth - 3, 0)
        return f"{indent}{self.titles.get(obj.translation_key, obj.title)}"


class AssignmentForm(forms.Form):
    item = PageChoiceField(label=_("Course, lesson or quiz"), queryset=Page.objects.none(), empty_label=_("Choose…"))
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("Optional. Leave empty for no due date."),
    )
    note = forms.CharField(label=_("Note for students"), required=False, max_length=1000, widget=forms.Textarea)
    age_version = forms.ChoiceField(
        label=_("Which version of lessons with age versions"),
        choices=AgeVersion.choices,
        required=False,
        initial=AgeVersion.BY_GRADE,
        widget=forms.RadioSelect,
        help_text=_(
            "By default each student sees the version for their grade: grades 1–6 the younger, 7 and up the older."
        ),
    )
    students = forms.ModelMultipleChoiceField(
        label=_("Only these students"),
        required=False,
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to assign to the whole class."),
    )

    def __init__(self, *args, classroom, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = assignable_pages()
        self.fields["item"].titles = titles_in_active_language()
        self.fields["students"].queryset = (
            get_user_model().objects.filter(enrollments__classroom=classroom).order_by("display_name", "username")
        )
        self.fields["students"].label_from_instance = lambda u: u.get_display_name()
        if editing:
            self.fields["item"].disabled = True
            self.fields["item"].required = False

    def clean_due_at(self):
        """A due date already past would make every student overdue at once: refused, unless
        it is the assignment's own date left unchanged while editing something else."""
        due = self.cleaned_data.get("due_at")
        if due is not None and due < timezone.now():
            kept = self.initial.get("due_at")
            if kept is None or abs(due - kept) >= timedelta(minutes=1):
                raise forms.ValidationError(
                    _(
                        "That date has already passed: every student would show as overdue at once. "
                        "Choose a later date, or leave it empty for no due date."
                    )
                )
        return due
