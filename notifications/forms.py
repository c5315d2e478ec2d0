from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmailPreference


class EmailPreferenceForm(forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = ["weekly_digest", "due_reminders", "family_letters"]
        help_texts = {
            "weekly_digest": _("Sunday evening: what your children finished, their scores and what is due."),
            "due_reminders": _("The day before something is due (off unless you turn it on)."),
            "family_letters": _("When your child's class finishes a module: what they learned and what to talk about."),
        }
