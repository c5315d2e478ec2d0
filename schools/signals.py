"""Signals schools sends for other apps to act on (schools never imports them)."""

from django.dispatch import Signal

# Sent when a staff member resets a student's password, inside that transaction:
# handler(sender, student, actor, reset_at, **kwargs). Safeguarding tells the designated
# staff when the student has a "Get help" report (safeguarding/receivers.py).
student_password_reset = Signal()
