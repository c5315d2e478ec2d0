"""Seed the demo school, curriculum and history. Safe to run again: nothing is duplicated."""

from django.core.management.base import BaseCommand
from django.db import transaction

from courses import seed as curriculum
from demo.seeds import accounts, districts, editors, learning, safeguarding, schools
from jobs.services import publishing_suppressed
from quizzes import seed as curriculum_quizzes

# Each step's run(stdout=...) creates only what is missing. Order matters: accounts before
# the schools that place them, the curriculum (courses, then its quizzes) before the history
# that uses it, the district's figures last.
STEPS = [
    accounts,
    schools,
    curriculum,
    editors,
    curriculum_quizzes,
    safeguarding,
    learning,
    districts,
]


class Command(BaseCommand):
    help = "Create or update the NetWise demo world (idempotent)."

    def handle(self, *args, **options):
        for step in STEPS:
            # The seeds sync progress themselves; the per-submit progress messages (sent when
            # each seed's transaction commits) would only queue work for nothing.
            with publishing_suppressed(), transaction.atomic():
                step.run(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo ready. Every demo account's password is 'netwise-demo'."))
