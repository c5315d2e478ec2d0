from django.core.management.base import BaseCommand, CommandError

from quizzes import importers


class Command(BaseCommand):
    help = (
        "Import a Moodle XML or GIFT question bank, question by question: what cannot be read or "
        "marked is skipped and named, the rest is imported in one transaction. --dry-run prints "
        "exactly what a real run would import and skip."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=sorted(importers.FORMATS), default=None)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--tag", action="append", default=[])

    def handle(self, *args, file, format=None, dry_run=False, tag=(), **options):
        try:
            with open(file, "rb") as fh:
                data = fh.read(importers.MAX_BYTES + 1)  # never more than the limit in memory
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        fmt = format or importers.detect_format(file, data)
        result = importers.parse(data, fmt)
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"error {error}")
            raise CommandError(f"{file}: {result.summary(dry_run=dry_run)}")
        for skipped in result.skipped:
            self.stdout.write(f"skipped {importers.describe_skip(skipped)}")
        for warning in result.warnings:
            self.stdout.write(f"warning {warning}")
        verb = "would import" if dry_run else "imported"
        if not dry_run and result.questions:
            importers.save(result, tags=tag)
        counts = result.counts_by_type()
        for qtype in sorted(counts):
            self.stdout.write(f"{verb} {counts[qtype]} {qtype}")
        self.stdout.write(result.summary(dry_run=dry_run))
