from django.core.management.base import BaseCommand, CommandError

from learning import digests


class Command(BaseCommand):
    help = (
        "Send this week's guardian digests now, through the same code as the Sunday beat task. "
        "Running it again the same week sends nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", help='ISO week such as "2026-W48" (default: this week).')

    def handle(self, *args, week=None, **options):
        if week:
            try:
                digests.week_bounds(week)
            except (ValueError, TypeError):
                raise CommandError('Give the week as YYYY-Www, e.g. "2026-W48".') from None
        run = digests.send_weekly_digests(week=week)
        self.stdout.write(f"Week {run.week}: {run.sent} sent, {run.skipped} already sent, {run.failed} failed.")
        if run.failed:
            raise CommandError(f"{run.failed} digest(s) could not be sent; run the command again later.")
