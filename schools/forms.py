from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from . import roster

User = get_user_model()


class ClassroomForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=120)
    grade = forms.IntegerField(label=_("Grade"), min_value=1, max_value=12, required=False)


class JoinCodeForm(forms.Form):
    ACTIONS = [("rotate", _("New code")), ("disable", _("Switch off")), ("enable", _("Switch on"))]
    action = forms.ChoiceField(choices=ACTIONS)
    expires_in_days = forms.IntegerField(
        label=_("New code expires after (days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Leave empty for a code that does not expire."),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (CSV)"),
        help_text=_(
            "Columns: name, username (optional), grade, guardian email (optional). "
            "UTF-8 or Excel's Unicode text; up to 5,000 rows and 2 MB."
        ),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > roster.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB. Split it into smaller files."))
        return f


class GuardianSignupForm(forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=80)
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[A-Za-z0-9._-]{3,40}$",
        help_text=_("3–40 letters, digits, dots, dashes or underscores."),
    )
    email = forms.EmailField(label=_("Email"), help_text=_("For the weekly progress digest."))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=10)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("That username is taken. Choose another."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password"):
            password_validation.validate_password(
                data["password"],
                User(username=data.get("username", ""), email=data.get("email", "")),
            )
        return data


class TeacherInviteForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=80)
    username = forms.RegexField(label=_("Username"), regex=r"^[A-Za-z0-9._-]{3,40}$")
    email = forms.EmailField(label=_("Email"), required=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("That username is taken. Choose another."))
        return username


class ConfirmDeleteForm(forms.Form):
    confirm = forms.CharField(label=_("Type the student's username to confirm"), max_length=150)

    def __init__(self, *args, username, **kwargs):
        super().__init__(*args, **kwargs)
        self.username = username

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != self.username:
            raise forms.ValidationError(_("That is not the student's username."))
        return self.cleaned_data["confirm"]


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I am this child's parent or guardian and I agree to the notice above."),
        required=True,
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you object?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The school admin and the child's other parents or guardians see this."),
    )
