from django.core.management.base import BaseCommand, CommandError

from quizzes import importers


class Command(BaseCommand):
    help = "Import a Moodle XML or GIFT question bank. Nothing is imported if any question has an error."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=sorted(importers.FORMATS), default=None)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--tag", action="append", default=[])

    def handle(self, *args, file, format=None, dry_run=False, tag=(), **options):
        try:
            with open(file, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        fmt = format or importers.detect_format(file, data)
        result = importers.parse(data, fmt)
        for skipped in result.skipped:
            where = f"line {skipped.line}: " if skipped.line else ""
            self.stdout.write(f"skipped {where}{skipped.title!r} ({skipped.source_type}): {skipped.reason}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"error {error}")
            raise CommandError(f"{len(result.errors)} error(s); nothing was imported")
        verb = "would import" if dry_run else "imported"
        if not dry_run:
            importers.save(result, tags=tag)
        counts = result.counts_by_type()
        for qtype in sorted(counts):
            self.stdout.write(f"{verb} {counts[qtype]} {qtype}")
        self.stdout.write(f"{verb} {len(result.questions)} question(s), skipped {len(result.skipped)}")
