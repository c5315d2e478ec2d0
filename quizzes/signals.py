"""Signals other apps listen to (learning records progress); quizzes imports nothing of theirs."""

from django.dispatch import Signal

# Sent once per attempt, after the submitting transaction commits.
# kwargs: attempt (quizzes.Attempt), student, quiz_id (the QuizPage's id: the submit path
# never loads the page; a receiver that needs it loads it itself, off the hot path), precheck
# (True for a module's pre-check, which never counts towards progress). Sent on every quiz
# submit with the one sender Attempt: its receivers are looked up once, not on every send.
attempt_submitted = Signal(use_caching=True)

# Sent after a quiz's item statistics were rebuilt (in the recompute task's transaction).
# kwargs: quiz_id. Apps that group learners (learning: classes) rebuild their own rows.
item_statistics_updated = Signal()

# Sent after a regrade (quizzes.regrade) changed results, in the regrading task, after its
# writes committed. kwargs: quiz_id, student_ids (those whose attempts' results changed).
attempts_regraded = Signal()
