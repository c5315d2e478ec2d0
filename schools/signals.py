"""Signals schools sends for other apps to act on (schools never imports them). Receivers
live in the higher app's receivers.py."""

from django.dispatch import Signal

# Sent when a staff member resets a student's password, inside that transaction:
# handler(sender, student, actor, reset_at, **kwargs). Safeguarding tells the designated
# staff when the student has a "Get help" report (safeguarding/receivers.py).
student_password_reset = Signal()

# Sent inside the deletion transaction (services.student_data.delete_student), before the
# account goes: handler(sender, student, actor, **kwargs). Receivers anonymise or keep what
# they must (safeguarding keeps reports, pseudonymised).
student_deleting = Signal()

# Sent when a guardian asks for a child's deletion (services.deletion_requests):
# handler(sender, student, due_at, **kwargs). Safeguarding tells its designated staff when
# the child has an open case.
student_deletion_requested = Signal()

# Sent inside the deactivation transaction (services.staff.deactivate_teacher) when a school
# admin takes a teacher off a school: handler(sender, school, teacher, admin, request, **kwargs).
# Safeguarding removes the teacher's designation there and tells the team, so a membership
# made active again later (Django admin) does not silently reopen the school's reports.
teacher_deactivated = Signal()

# Other apps may add their data to a child's privacy export: receivers return
# {filename: rows (a list of dicts)}; handler(sender, student, **kwargs).
student_exporting = Signal()
