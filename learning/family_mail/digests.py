"""The weekly guardian digest: one e-mail per guardian covering every linked, consented child.

Sent on Sunday evening in each family's time zone. A guardian's zone is the zone of their
children's school; when linked children are in schools with different zones, the school of
the child with the earliest-created active link decides (ties: the lower link id). A guardian
with no linked child in a school (no student profile) is in the site's zone
(settings.TIME_ZONE), and so is a school whose stored zone is not a known name (saved before
School.timezone was validated). The ISO week label is computed in the guardian's zone.

Beat calls ``schedule_due_runs`` every hour: every zone where it is now Sunday and the local
hour is at least ``DIGEST_LOCAL_HOUR`` (18) gets one run for its local ISO week, through the
jobs outbox with a dedupe key naming the zone and week, so later hourly beats that evening
add nothing.

Built in batches with a fixed number of queries per batch (never a query per guardian),
rendered in the guardian's language, sent once per ISO week: the sent-log key
``digest:<guardian id>:<ISO week>`` is inserted in the same transaction as the send
(notifications.services.deliver_once), so a second run, a retried task or a task
redelivered after a killed worker sends nothing twice.
"""

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from wagtail.models import Page

from accounts.roles import Role
from courses.models import CoursePage
from courses.selectors import family_prompts
from jobs.services import enqueue
from notifications.mail import SendOnceMailer, site_url
from notifications.models import DeliveryLog
from notifications.services import unsubscribe_token
from schools import timezones
from schools.models import GuardianLink
from schools.timezones import school_zones, zone_name

from ..models import Assignment, ItemKind, Progress, ProgressStatus

logger = logging.getLogger("netwise.learning.digests")

BATCH = 500
DUE_AHEAD = timedelta(days=7)
OVERDUE_BACK = timedelta(days=14)


class TransientDeliveryError(Exception):
    """Some digests could not be sent this time; the task retries (sent ones are skipped)."""


# --- time zones and weeks -------------------------------------------------------------


def week_label(now: datetime | None = None, tz: str | None = None) -> str:
    """ISO week of `now` in zone `tz` (default: the site's), e.g. "2026-W48"."""
    local = timezone.localtime(now or timezone.now(), ZoneInfo(zone_name(tz)))
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


def week_display(label: str) -> str:
    """The week label as the reader expects it: "2026-W48" in English, "2026年第48周" in
    Chinese (the ISO week code reads as jargon there)."""
    year, _sep, week = label.partition("-W")
    if (get_language() or "").startswith("zh") and year.isdigit() and week.isdigit():
        return f"{year}年第{int(week)}周"
    return label


def week_bounds(label: str, tz: str | None = None) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 of an ISO week label, in zone `tz` (default:
    the site's)."""
    year, week = label.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    zone = ZoneInfo(zone_name(tz))
    start = timezone.make_aware(datetime.combine(monday, datetime.min.time()), zone)
    end = timezone.make_aware(datetime.combine(monday + timedelta(days=7), datetime.min.time()), zone)
    return start, end


def digest_key(guardian_id: int, label: str) -> str:
    return f"digest:{guardian_id}:{label}"


def zones_due(now: datetime | None = None) -> list[tuple[str, str]]:
    """(zone, local ISO week) for every zone where it is now Sunday, at or after
    DIGEST_LOCAL_HOUR local time."""
    now = now or timezone.now()
    hour = int(getattr(settings, "DIGEST_LOCAL_HOUR", 18))
    due = []
    for name in sorted(school_zones()):
        local = timezone.localtime(now, ZoneInfo(name))
        if local.isoweekday() == 7 and local.hour >= hour:
            due.append((name, week_label(now, name)))
    return due


def schedule_due_runs(now: datetime | None = None) -> list:
    """Beat, hourly: enqueue the digest run of every zone whose Sunday evening has come.

    One job per zone, week and shard (DIGEST_SHARDS): the dedupe key names all three, so
    the later hourly beats of the same evening enqueue nothing more.
    """
    shards = max(1, int(getattr(settings, "DIGEST_SHARDS", 1)))
    jobs = []
    for tz, week in zones_due(now):
        for shard in range(shards):
            key = f"digests:{tz}:{week}" if shards == 1 else f"digests:{tz}:{week}:{shard}/{shards}"
            jobs.append(enqueue("learning.send_weekly_digests", week, 0, shard, shards, tz, dedupe_key=key))
    return jobs


# --- content --------------------------------------------------------------------------


@dataclass
class ChildSummary:
    id: int
    name: str
    finished: list = field(default_factory=list)  # {"title", "completed_at"}
    results: list = field(default_factory=list)  # {"title", "score", "passed"}
    due: list = field(default_factory=list)  # {"title", "due_at", "overdue"}
    prompts: list = field(default_factory=list)  # {"course", "question", "action"}

    @property
    def quiet(self) -> bool:
        return not (self.finished or self.results or self.due)


@dataclass
class GuardianDigest:
    guardian: object
    week: str
    children: list


def guardians_for_digest(tz: str | None = None):
    """Active guardians with an e-mail address, at least one active link, not opted out;
    each annotated with `digest_tz`, the zone stored for them (see the module docstring;
    pass it through zone_name()). With `tz`, only the guardians in that zone."""
    User = get_user_model()
    linked = GuardianLink.objects.filter(state=GuardianLink.State.ACTIVE).values("guardian_id")
    qs = (
        User.objects.filter(role=Role.GUARDIAN, is_active=True, pk__in=linked)
        .exclude(email="")
        .exclude(email_preference__weekly_digest=False)
        .order_by("pk")
    )
    qs = timezones.with_guardian_zone(qs, field="digest_tz")
    if tz:
        qs = timezones.in_zone(qs, tz, field="digest_tz")
    return qs


def _titles(page_ids, language):
    titles = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "title"))
    if language.startswith("zh"):
        # The page's live zh-hans translation, else the English course's `title_zh` (one query).
        translated = Page.objects.filter(
            translation_key=OuterRef("translation_key"), locale__language_code="zh-hans", live=True
        ).values("title")[:1]
        title_zh = CoursePage.objects.filter(pk=OuterRef("pk")).exclude(title_zh="").values("title_zh")[:1]
        rows = (
            Page.objects.filter(pk__in=page_ids)
            .annotate(translated=Subquery(translated), title_zh=Subquery(title_zh))
            .values_list("pk", "translated", "title_zh")
        )
        for pk, translated_title, zh in rows:
            if translated_title or zh:
                titles[pk] = translated_title or zh
    return titles


def build_digests(guardians, *, label: str, now: datetime | None = None, tz: str | None = None) -> list[GuardianDigest]:
    """Digests for a batch of guardians of one zone `tz` (default: the site's): a fixed
    number of queries whatever the batch size."""
    now = now or timezone.now()
    start, end = week_bounds(label, tz)
    end = min(end, max(now, start))
    guardians = list(guardians)
    by_guardian = {g.pk: [] for g in guardians}
    links = (
        GuardianLink.objects.filter(
            guardian_id__in=list(by_guardian),
            state=GuardianLink.State.ACTIVE,
            student__is_active=True,
        )
        # Belt and braces: an under-14 child without recorded consent is never reported.
        .exclude(
            student__student_profile__under_14=True,
            student__student_profile__consent_given_at__isnull=True,
        )
        .order_by("student__display_name", "student__username")
        .values_list("guardian_id", "student_id", "student__display_name", "student__username")
    )
    children: dict[int, ChildSummary] = {}
    for guardian_id, student_id, display, username in links:
        child = children.setdefault(student_id, ChildSummary(id=student_id, name=display or username))
        by_guardian[guardian_id].append(child)
    student_ids = list(children)
    if student_ids:
        _fill(children, student_ids, start=start, end=end, now=now)
    result = []
    for g in guardians:
        result.append(GuardianDigest(guardian=g, week=label, children=by_guardian[g.pk]))
    return result


def _fill(children, student_ids, *, start, end, now):
    finished = list(
        Progress.objects.filter(
            student_id__in=student_ids,
            kind=ItemKind.COURSE,
            status=ProgressStatus.COMPLETED,
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .order_by("completed_at")
        .values_list("student_id", "page_id", "completed_at")
    )
    results = list(
        Progress.objects.filter(
            student_id__in=student_ids,
            kind=ItemKind.QUIZ,
            attempts__gt=0,
            last_seen_at__gte=start,
            last_seen_at__lt=end,
        )
        .order_by("last_seen_at")
        .values_list("student_id", "page_id", "grade_score", "best_score", "passed")
    )
    # Due soon or recently overdue, in the child's classes, aimed at the class or at them.
    due_rows = list(
        Assignment.objects.active()
        .filter(
            due_at__gte=now - OVERDUE_BACK,
            due_at__lt=now + DUE_AHEAD,
            classroom__enrollments__student_id__in=student_ids,
        )
        .order_by("due_at", "pk")
        .values_list("pk", "item_id", "due_at", "classroom__enrollments__student_id")
    )
    targets = defaultdict(set)
    if due_rows:
        through = Assignment.students.through
        for a_id, user_id in through.objects.filter(assignment_id__in={r[0] for r in due_rows}).values_list(
            "assignment_id", "user_id"
        ):
            targets[a_id].add(user_id)
    done = (
        set(
            Progress.objects.filter(
                student_id__in=student_ids,
                page_id__in={r[1] for r in due_rows},
                status=ProgressStatus.COMPLETED,
            ).values_list("student_id", "page_id")
        )
        if due_rows
        else set()
    )

    page_ids = {r[1] for r in finished} | {r[1] for r in results} | {r[1] for r in due_rows}
    language = translation.get_language() or settings.LANGUAGE_CODE
    titles = _titles(page_ids, language)
    prompts = family_prompts({r[1] for r in finished}, language=language)

    for student_id, page_id, completed_at in finished:
        child = children[student_id]
        child.finished.append({"title": titles.get(page_id, ""), "completed_at": completed_at})
        child.prompts.extend(prompts.get(page_id, []))
    for student_id, page_id, grade, best, passed in results:
        score = grade if grade is not None else best
        children[student_id].results.append(
            {"title": titles.get(page_id, ""), "score": round(score or 0), "passed": bool(passed)}
        )
    seen = set()
    for a_id, item_id, due_at, student_id in due_rows:
        if (a_id, student_id) in seen or (student_id, item_id) in done:
            continue
        if targets.get(a_id) and student_id not in targets[a_id]:
            continue
        seen.add((a_id, student_id))
        children[student_id].due.append({"title": titles.get(item_id, ""), "due_at": due_at, "overdue": due_at < now})


# --- rendering ------------------------------------------------------------------------


def render_digest(digest: GuardianDigest) -> EmailMultiAlternatives:
    guardian = digest.guardian
    unsubscribe = site_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(guardian, "weekly_digest")]))
    context = {
        "guardian": guardian,
        "name": guardian.get_display_name(),
        "week": digest.week,
        "children": digest.children,
        "home_url": site_url("/"),
        "preferences_url": site_url(reverse("notifications:preferences")),
        "unsubscribe_url": unsubscribe,
    }
    subject = render_to_string(
        "learning/email/guardian_digest_subject.txt", {**context, "week": week_display(digest.week)}
    ).strip()
    text = render_to_string("learning/email/guardian_digest.txt", context)
    html = render_to_string("learning/email/guardian_digest.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[guardian.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    return message


# --- sending --------------------------------------------------------------------------


@dataclass
class DigestRun:
    week: str  # the week asked for, or this week in the run's zone (the site's if none)
    tz: str | None = None
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    guardians: int = 0
    weeks: set = field(default_factory=set)  # every week label used (zones may differ)

    @property
    def weeks_label(self) -> str:
        return ", ".join(sorted(self.weeks)) or self.week


def send_weekly_digests(
    *,
    week: str | None = None,
    now=None,
    tz: str | None = None,
    pause: float = 0.0,
    on_progress=None,
    shard: int = 0,
    shards: int = 1,
) -> DigestRun:
    """Send this ISO week's digest to every guardian who has not had it yet.

    `tz` restricts the run to the guardians of that zone (the scheduled runs); without it,
    every guardian is reached, each with the week as it is now in their own zone. `week`
    forces the label for everyone.

    Safe to run again, concurrently or after a crash: each guardian's send is guarded by
    the sent-log. Mail errors are counted, not raised, so one bad address never stops the
    run; the caller (the Celery task) retries if anything failed.
    """
    now = now or timezone.now()
    run = DigestRun(week=week or week_label(now, tz), tz=zone_name(tz) if tz else None)
    labels: dict[str, str] = {}  # zone -> week label, computed once per zone

    def label_for(zone: str) -> str:
        if zone not in labels:
            labels[zone] = week or week_label(now, zone)
            run.weeks.add(labels[zone])
        return labels[zone]

    qs = guardians_for_digest(tz)
    if shards > 1:  # one slice of the guardians, so several workers can share the run
        qs = qs.annotate(_shard=F("pk") % shards).filter(_shard=shard)
    total = qs.count()
    last_pk = 0
    with SendOnceMailer() as mailer:  # one SMTP session for the whole run, not one per mail
        while True:
            batch = list(qs.filter(pk__gt=last_pk)[:BATCH])
            if not batch:
                break
            last_pk = batch[-1].pk
            keys = {}
            for g in batch:
                g.digest_tz = zone_name(g.digest_tz)
                keys[digest_key(g.pk, label_for(g.digest_tz))] = g
            already = set(DeliveryLog.objects.filter(key__in=list(keys)).values_list("key", flat=True))
            todo = [g for k, g in keys.items() if k not in already]
            run.skipped += len(batch) - len(todo)
            # One build per language and zone (a zone-restricted run has one zone).
            groups = defaultdict(list)
            for g in todo:
                groups[(g.language or settings.LANGUAGE_CODE, g.digest_tz)].append(g)
            for (language, zone), guardians in groups.items():
                label = label_for(zone)
                with translation.override(language):
                    for digest in build_digests(guardians, label=label, now=now, tz=zone):
                        if digest.children:
                            mailer.send_once(
                                digest_key(digest.guardian.pk, digest.week),
                                lambda digest=digest: render_digest(digest),
                                recipient=digest.guardian.email,
                            )
                        if pause:
                            time.sleep(pause)
            run.guardians += len(batch)
            if on_progress:
                on_progress(int(100 * run.guardians / total) if total else 100)
    run.sent, run.skipped, run.failed = mailer.sent, run.skipped + mailer.skipped, mailer.failed
    logger.info(
        "digest %s (%s): sent %s, skipped %s, failed %s",
        run.weeks_label,
        run.tz or "every zone",
        run.sent,
        run.skipped,
        run.failed,
    )
    return run
