"""Signals other apps may listen to (courses never imports them)."""

from django.dispatch import Signal

# Sent after a learner first marks a lesson as done: kwargs user, lesson, completion.
lesson_completed = Signal()
