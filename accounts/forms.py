"""Account forms."""

import hashlib

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .roles import Role

# Reset e-mails one address may be sent per hour: enough for a typo and a retry, not a spam relay.
RESETS_PER_HOUR = 3


class GuardianPasswordResetForm(PasswordResetForm):
    """Django's e-mailed reset link, for parents and carers only: a student's or a member of
    staff's password is reset by their school (schools.services.passwords), which can check who
    is asking. Whether the address belongs to anyone is never shown (the same page follows)."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.role == Role.GUARDIAN)

    def save(self, *args, **kwargs):
        key = "pwreset:" + hashlib.sha256(self.cleaned_data["email"].strip().lower().encode()).hexdigest()
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > RESETS_PER_HOUR:
            return  # quietly: the page says the same either way
        super().save(*args, **kwargs)


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's change form, refusing the password the account has now: the forced change after
    a staff-issued password (printed on a sheet, shown on a reset page) must end that password,
    not type it in again."""

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and not self.errors and self.user.check_password(password):
            self.add_error(
                "new_password2",
                forms.ValidationError(
                    _("Choose a new password: this is the one you have now."), code="password_unchanged"
                ),
            )
        return cleaned
