"""Celery tasks for learning. Thin: each calls a module that does the work.

Every task is idempotent (sent-logs and unique rows), so a redelivery after a killed worker
or a re-publish by the jobs outbox only finishes what is missing.
"""

from celery import shared_task
from django.db import OperationalError

from jobs.services import heartbeat
from notifications.mail import TRANSIENT_MAIL_ERRORS

from .certificates import services as certificates
from .exports import build as exports
from .exports import services as export_services
from .family_mail import digests, letters, reminders
from .family_mail.digests import TransientDeliveryError
from .progress import figures
from .progress import services as progress

# --- Exports: the file is built in learning/exports/build.py ---------------------------


@shared_task(
    name="learning.tasks.build_export",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    ignore_result=True,
)
def build_export(export_id: int):
    """Build one dashboard export; a repeat after success does nothing."""
    exports.build(export_id)


@shared_task(name="learning.tasks.expire_exports", ignore_result=True)
def expire_exports():
    """Beat, hourly: delete the files of expired exports (idempotent)."""
    return export_services.expire_exports()


# --- Digests, reminders, certificates ---------------------------------------------------

RETRY = {
    "retry_backoff": 30,  # 30 s, 60 s, 120 s ... (exponential, jittered)
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 6,
}


def _transient():
    return (TransientDeliveryError, OperationalError, *TRANSIENT_MAIL_ERRORS)


@shared_task(name="learning.schedule_weekly_digests", ignore_result=True)
def schedule_weekly_digests():
    """Beat, hourly: put the digest run of every zone whose Sunday evening has come in the
    outbox (once per zone and week; see learning/family_mail/digests.py)."""
    return len(digests.schedule_due_runs())


@shared_task(
    bind=True,
    name="learning.send_weekly_digests",
    ignore_result=True,
    acks_late=True,
    autoretry_for=_transient(),
    **RETRY,
)
def send_weekly_digests(self, week=None, pause=0.0, shard=0, shards=1, tz=None):
    """Send the week's guardian digests (one slice of them when `shards` > 1, so several
    workers share the run; only the guardians of zone `tz` when given); `pause` (seconds
    per mail) is for tests only."""
    run = digests.send_weekly_digests(
        week=week,
        tz=tz or None,
        pause=float(pause or 0),
        on_progress=lambda p: heartbeat(self.request.id, progress=p),
        shard=int(shard),
        shards=int(shards),
    )
    if run.failed:
        raise digests.TransientDeliveryError(f"{run.failed} digest(s) not sent for {run.weeks_label}")
    return {"sent": run.sent, "skipped": run.skipped}


@shared_task(
    name="learning.send_due_reminders",
    ignore_result=True,
    acks_late=True,
    autoretry_for=_transient(),
    **RETRY,
)
def send_due_reminders():
    """Beat, hourly: the day-before reminders (each one once)."""
    run = reminders.send_due_reminders()
    if run.failed:
        raise TransientDeliveryError(f"{run.failed} reminder e-mail(s) not sent")


@shared_task(
    name="learning.generate_certificate",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    **RETRY,
)
def generate_certificate(student_id, course_page_id, force=False):
    """Draw a certificate's PNG and PDF (once; `force` draws them again)."""
    certificates.generate(student_id=student_id, course_id=course_page_id, force=bool(force))


# --- Quiz progress (the read model the submit path hands off) --------------------------


@shared_task(
    name="learning.sync_quiz_progress",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def sync_quiz_progress(student_id: int, quiz_id: int):
    """After a submit: refresh the student's quiz progress (absolute values; repeats are harmless)."""
    progress.sync_quiz_by_id(student_id=student_id, quiz_id=quiz_id)


@shared_task(name="learning.reconcile_quiz_progress", ignore_result=True)
def reconcile_quiz_progress():
    """Beat, every two minutes: finish any quiz progress a lost message left undone."""
    return progress.reconcile_quiz_progress()


@shared_task(name="learning.rebuild_class_item_figures", ignore_result=True)
def rebuild_class_item_figures():
    """Beat, nightly: recompute every class's overview figures (they are kept exact as progress
    and enrolments change; this repairs any row written around the services, e.g. in bulk)."""
    return figures.rebuild_all()


# --- Family letters: the e-mails of a letter a teacher sent (learning/family_mail/letters.py) ---


@shared_task(
    name=letters.MAIL_TASK,
    autoretry_for=(OperationalError, *TRANSIENT_MAIL_ERRORS),
    retry_backoff=30,
    max_retries=6,
    ignore_result=True,
)
def send_family_letter_mail(classroom_id: int, course_id: int):
    """Idempotent: the sent-log skips every guardian already mailed."""
    return letters.send_mail(classroom_id, course_id)
