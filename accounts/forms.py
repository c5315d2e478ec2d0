"""Account forms."""

import hashlib

from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache

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
