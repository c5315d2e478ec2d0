from django.core.management.base import BaseCommand, CommandError

from learning.family_mail import digests
from schools.models import is_known_timezone


class Command(BaseCommand):
    help = (
        "Send this week's guardian digests now, through the same code as the Sunday beat runs. "
        "Each guardian's week is the week in their children's school time zone. "
        "Running it again the same week sends nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", help='ISO week such as "2026-W48" (default: this week in each time zone).')
        parser.add_argument(
            "--timezone",
            dest="tz",
            help='Only the guardians in this time zone, e.g. "Europe/London" (default: every zone).',
        )

    def handle(self, *args, week=None, tz=None, **options):
        if week:
            try:
                digests.week_bounds(week)
            except (ValueError, TypeError):
                raise CommandError('Give the week as YYYY-Www, e.g. "2026-W48".') from None
        if tz and not is_known_timezone(tz):
            raise CommandError(f'"{tz}" is not a known time zone name; use one such as "Asia/Shanghai".')
        run = digests.send_weekly_digests(week=week, tz=tz)
        where = f" ({run.tz})" if run.tz else ""
        self.stdout.write(
            f"Week {run.weeks_label}{where}: {run.sent} sent, {run.skipped} already sent, {run.failed} failed."
        )
        if run.failed:
            raise CommandError(f"{run.failed} digest(s) could not be sent; run the command again later.")
