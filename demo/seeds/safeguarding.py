"""Demo data for "Get help": `teacher` leads safeguarding at Riverside; one open and one
closed case from `student`. Found by natural keys, so reruns add only what is missing."""

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from safeguarding.models import Report, ReportMessage, SafeguardingDesignation, StaffNote
from safeguarding.services import ensure_default_contacts
from schools.models import School, SchoolMembership

CLOSED_TEXT = (
    "Someone I don't know sent me a message saying I won a phone and asked for my address and my mum's phone number."
)
CLOSED_REPLY = "Thank you for telling us. You did the right thing by not replying. This is a scam: block and report it."
CLOSED_OUTCOME = "Explained the scam; student blocked and reported the account. Class reminder on prize scams."
OPEN_TEXT = "People in my class group chat keep sharing an edited photo of me and laughing at it. I feel awful."
OPEN_REPLY = "I'm sorry this is happening. It is not your fault. Can we talk tomorrow at break, in room 204?"


def _school():
    return (
        School.objects.filter(Q(slug__startswith="riverside") | Q(name__icontains="Riverside")).order_by("pk").first()
    )


def _user(username):
    return User.objects.filter(username=username).first()


@transaction.atomic
def run(stdout=None):
    school = _school()
    teacher, student = _user("teacher"), _user("student")
    if school is None or teacher is None or student is None:
        if stdout:
            stdout.write("safeguarding: skipped (run the accounts and schools seeds first)")
        return
    contacts = ensure_default_contacts(school)
    for other in School.objects.exclude(pk=school.pk):
        contacts += ensure_default_contacts(other)
    # The lead must be active staff of the school for the designation to count.
    if not SchoolMembership.objects.filter(user=teacher, school=school, is_active=True).exists():
        SchoolMembership.objects.get_or_create(user=teacher, school=school, role=SchoolMembership.Role.TEACHER)
    admin = _user("schooladmin")
    SafeguardingDesignation.objects.get_or_create(school=school, staff=teacher, defaults={"designated_by": admin})

    made = 0
    closed = Report.objects.filter(student=student, description=CLOSED_TEXT).first()
    if closed is None:
        closed = Report.objects.create(
            student=student,
            school=school,
            kind=Report.Kind.SCAM,
            description=CLOSED_TEXT,
            status=Report.Status.CLOSED,
            outcome=CLOSED_OUTCOME,
        )
        Report.objects.filter(pk=closed.pk).update(closed_at=closed.created)
        ReportMessage.objects.create(report=closed, author=teacher, body=CLOSED_REPLY)
        ReportMessage.objects.create(report=closed, author=student, body="Thank you, I blocked them.")
        made += 1
    if not Report.objects.filter(student=student, description=OPEN_TEXT).exists():
        report = Report.objects.create(
            student=student,
            school=school,
            kind=Report.Kind.BULLYING,
            description=OPEN_TEXT,
            status=Report.Status.IN_PROGRESS,
        )
        ReportMessage.objects.create(report=report, author=teacher, body=OPEN_REPLY)
        StaffNote.objects.create(report=report, author=teacher, body="Check in with form tutor; ask the group admin.")
        made += 1
    if stdout:
        stdout.write(
            f"safeguarding: teacher designated at {school.name}; {contacts} help contacts, {made} demo cases new"
        )
