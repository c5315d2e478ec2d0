"""The question form in the Wagtail admin: the same per-type rules as the importers."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from courses.forms import CurriculumPageForm

from .validation import choice_problems


class QuestionAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("choices")
        if formset is None or not all(f.is_valid() for f in formset.forms):
            return cleaned  # field errors are shown on the options themselves
        choices = [
            SimpleNamespace(
                text=f.cleaned_data.get("text", ""),
                correct=f.cleaned_data.get("correct", False),
                weight=f.cleaned_data.get("weight"),
                match_text=f.cleaned_data.get("match_text", ""),
                tolerance=f.cleaned_data.get("tolerance"),
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        problems = choice_problems(cleaned.get("qtype"), choices)
        if problems:
            raise ValidationError(problems)
        return cleaned


class QuizPageForm(CurriculumPageForm):
    """The quiz page form: a pre-check is checked against the questions the editor sent, not
    only those saved before (a new page has none saved yet)."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("quiz_questions")
        if cleaned.get("purpose") != "precheck" or formset is None or not all(f.is_valid() for f in formset.forms):
            return cleaned
        sent = {
            f.cleaned_data["question"].pk
            for f in formset.forms
            if f.cleaned_data and f.cleaned_data.get("question") and not f.cleaned_data.get("DELETE")
        }
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        if parent is not None:
            self.instance.check_precheck(parent, sent)
        return cleaned
