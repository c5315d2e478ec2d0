"""The teacher's form for sending a module's family letter."""

from django import forms
from django.utils.translation import gettext_lazy

from courses.models import CoursePage

from .letters import modules


class FamilyLetterForm(forms.Form):
    course = forms.ModelChoiceField(queryset=CoursePage.objects.none(), label=gettext_lazy("Module"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = modules()
        self.fields["course"].label_from_instance = lambda page: f"{page.module_code} {page.title}".strip()
