from django.core.management.base import BaseCommand

from learning.progress import figures


class Command(BaseCommand):
    help = (
        "Recompute every class's pre-aggregated progress figures (the school overview's) from the "
        "progress and enrolment rows. The services keep them exact; run this after writing progress "
        "or enrolments in bulk around them (a seed, an import, a restore). Safe to run at any time."
    )

    def handle(self, *args, **options):
        rows = figures.rebuild_all()
        if options["verbosity"] > 0:
            self.stdout.write(f"{rows} class figure rows.")
