from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import uploads
from .models import HelpContact, Report


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several screenshots in one input; each is validated and re-encoded in clean()."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(MultipleImageField, self).clean(f, initial) for f in files if f]
        return uploads.clean_images(files)


class ReportForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None, label=_("Who should see this"), empty_label=None)
    kind = forms.ChoiceField(label=_("What happened?"), choices=Report.Kind.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("Tell us about it"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, when, and who was involved, if you know. Write as much or as little as you like."),
    )
    urgent = forms.BooleanField(
        label=_("This is urgent: I need help today"),
        required=False,
    )
    screenshots = MultipleImageField(
        label=_("Screenshots (optional)"),
        required=False,
        help_text=_("Up to 3 pictures (JPEG, PNG or WebP), 5 MB each. Location and other hidden details are removed."),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].label_from_instance = lambda s: (
            _("The safeguarding staff of %(school)s") % {"school": s.name}
        )
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()
            self.fields["school"].widget = forms.HiddenInput()

    @classmethod
    def posted_urgent(cls, post) -> bool:
        """The urgent tick as posted, read without validating the form (no upload work)."""
        return bool(cls.base_fields["urgent"].widget.value_from_datadict(post, {}, "urgent"))

    def clean(self):
        data = super().clean()
        if "school" in self.errors and self.fields["school"].widget.is_hidden:
            # A hidden field's error would be invisible: say it plainly instead.
            self.add_error(None, _("You can only send a report to your own school's safeguarding staff."))
        return data

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 3:
            raise ValidationError(_("Please write a few words about what happened."))
        return text


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Private note (only safeguarding staff see this)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        # Shares the case page with the reply form: distinct ids keep each label on its box.
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Report.Status.choices)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to close the case. The student sees the status, not this text."),
    )

    def __init__(self, *args, current=None, **kwargs):
        kwargs.setdefault("auto_id", "status_%s")
        super().__init__(*args, **kwargs)
        if current == Report.Status.CLOSED:
            # A closed case's outcome stays as written: the one change left is to reopen it.
            self.fields["status"].choices = [
                (value, label) for value, label in Report.Status.choices if value != Report.Status.CLOSED
            ]
            del self.fields["outcome"]
            self.initial["status"] = Report.Status.IN_PROGRESS

    def clean(self):
        data = super().clean()
        if (
            "outcome" in self.fields
            and data.get("status") == Report.Status.CLOSED
            and not (data.get("outcome") or "").strip()
        ):
            self.add_error("outcome", _("Please write the outcome before closing the case."))
        return data


class DesignateForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=None, label=_("Member of staff"), empty_label=_("Choose…"))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda u: f"{u.get_display_name()} ({u.get_role_display()})"


class HelpContactForm(forms.ModelForm):
    url = forms.URLField(label=_("web address"), required=False, assume_scheme="https")

    class Meta:
        model = HelpContact
        fields = ["name", "name_zh", "phone", "url", "description", "description_zh", "order"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "contact_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("url"):
            raise ValidationError(_("Give a phone number or a web address."))
        return data


class BreakSettingForm(forms.Form):
    break_after_minutes = forms.IntegerField(
        label=_("Suggest a break after (minutes)"),
        min_value=0,
        max_value=240,
        help_text=_("0 switches break reminders off for this school's students."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "break_%s")
        super().__init__(*args, **kwargs)


class RetentionForm(forms.Form):
    retention_years = forms.IntegerField(
        label=_("Keep a deleted student's closed cases for (years)"),
        min_value=1,
        max_value=25,
        help_text=_(
            "When a student's account is deleted, their help reports, replies, notes and screenshots are kept "
            "under a pseudonym for this many years after the case is closed, then deleted."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "retention_%s")
        super().__init__(*args, **kwargs)
