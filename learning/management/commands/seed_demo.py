"""Seed the demo school, curriculum and history. Safe to run again: nothing is duplicated."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from jobs.services import publishing_suppressed

# Each app's seed.run(stdout=...) creates only what is missing. Order matters.
SEED_MODULES = [
    "accounts.seed",
    "schools.seed",
    "courses.seed",
    "quizzes.seed",
    "safeguarding.seed",
    "learning.seed",
    "districts.seed",
]


class Command(BaseCommand):
    help = "Create or update the NetWise demo world (idempotent)."

    def handle(self, *args, **options):
        for name in SEED_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            # The seeds sync progress themselves; the per-submit progress messages (sent when
            # each seed's transaction commits) would only queue work for nothing.
            with publishing_suppressed(), transaction.atomic():
                module.run(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo ready. Every demo account's password is 'netwise-demo'."))
