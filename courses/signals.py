"""Signals other apps may listen to (courses never imports them)."""

from django.dispatch import Signal

# Sent after a learner first marks a lesson as done: kwargs user, lesson, completion.
lesson_completed = Signal()

# Sent after a learner un-marks a lesson they had marked done (the completion row is gone):
# kwargs user, lesson. Same shape as lesson_completed, so progress follows both ways.
lesson_uncompleted = Signal()
