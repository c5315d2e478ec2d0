"""Signals other apps listen to (learning records progress); quizzes imports nothing of theirs."""

from django.dispatch import Signal

# Sent once per attempt, after the submitting transaction commits.
# kwargs: attempt (quizzes.Attempt), student, quiz (QuizPage).
attempt_submitted = Signal()
