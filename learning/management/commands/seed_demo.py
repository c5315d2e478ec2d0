"""Seed the demo school, curriculum and history. Safe to run again: nothing is duplicated."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app's seed.run(stdout=...) creates only what is missing. Order matters.
SEED_MODULES = [
    "accounts.seed",
    "schools.seed",
    "courses.seed",
    "quizzes.seed",
    "safeguarding.seed",
    "learning.seed",
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
            with transaction.atomic():
                module.run(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo ready. Every demo account's password is 'netwise-demo'."))
