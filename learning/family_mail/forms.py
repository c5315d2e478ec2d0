"""The teacher's form for sending a module's family letter."""

from django import forms
from django.utils.translation import gettext_lazy

from courses.models import CoursePage
from courses.selectors import titles_in_active_language

from .letters import modules


class FamilyLetterForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.none(), label=gettext_lazy("Module"), empty_label=gettext_lazy("Choose…")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = modules()
        # The English modules (each guardian gets the letter in their own language), named in
        # the teacher's.
        titles = titles_in_active_language()
        self.fields["course"].label_from_instance = lambda page: (
            f"{page.module_code} {titles.get(page.translation_key, page.title)}".strip()
        )
