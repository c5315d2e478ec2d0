"""Guardian link codes, consent, revocation and sign-up."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from schools import access
from schools.models import AuditEvent, ConsentRecord, GuardianLink, LinkCode
from schools.services import common, guardians
from tests.accounts.factories import GuardianFactory
from tests.schools.factories import make_student


def issue(client, world, student=None):
    client.force_login(world.teacher)
    resp = client.post(reverse("schools:student_link_code", args=[(student or world.student).pk]))
    assert resp.status_code == 200
    return resp.context["link_code"].code


def enter(client, guardian, code):
    client.force_login(guardian)
    return client.post(reverse("schools:link_child"), {"code": code})


def test_under_14_link_waits_for_recorded_consent(client, world):
    child = make_student(world.classroom, under_14=True)
    code = issue(client, world, child)
    parent = GuardianFactory()
    resp = enter(client, parent, code)
    link = GuardianLink.objects.get(guardian=parent)
    assert resp.status_code == 302
    assert resp["Location"] == reverse("schools:consent", args=[link.pk])
    assert link.state == GuardianLink.State.PENDING
    assert not access.students_visible_to(parent).exists()
    done = client.post(reverse("schools:consent", args=[link.pk]), {"agree": "on"})
    assert done["Location"] == reverse("learning:guardian_child", args=[child.pk])  # on to the child's progress
    link.refresh_from_db()
    record = ConsentRecord.objects.get(guardian=parent, student=child)
    assert link.state == GuardianLink.State.ACTIVE
    assert record.notice_version == guardians.CONSENT_NOTICE_VERSION
    assert record.ip_address == "127.0.0.1" and record.given_at
    assert list(access.students_visible_to(parent)) == [child]
    assert AuditEvent.objects.filter(action="consent.given", school=world.school).exists()


def test_consent_needs_the_box_ticked(client, world):
    code = issue(client, world, make_student(world.classroom, under_14=True))
    parent = GuardianFactory()
    enter(client, parent, code)
    link = GuardianLink.objects.get(guardian=parent)
    resp = client.post(reverse("schools:consent", args=[link.pk]), {})
    assert resp.status_code == 200
    assert not ConsentRecord.objects.filter(guardian=parent).exists()


def test_over_14_link_is_active_at_once(client, world):
    code = issue(client, world)
    world.student.student_profile.under_14 = False
    world.student.student_profile.save()
    parent = GuardianFactory()
    enter(client, parent, code)
    assert GuardianLink.objects.get(guardian=parent).state == GuardianLink.State.ACTIVE


def test_codes_are_single_use_and_expire(client, world):
    code = issue(client, world)
    enter(client, GuardianFactory(), code)
    resp = enter(client, GuardianFactory(), code)
    assert "already been used" in resp.content.decode()
    code2 = issue(client, world)
    LinkCode.objects.filter(code=code2).update(expires_at=timezone.now() - timedelta(seconds=1))
    resp = enter(client, GuardianFactory(), code2)
    assert "expired" in resp.content.decode()
    assert GuardianLink.objects.filter(student=world.student).count() == 2


def test_code_guessing_is_rate_limited_per_user_and_address(client, world):
    code = issue(client, world)
    guesser = GuardianFactory()
    for _ in range(common.GUESS_LIMIT):
        enter(client, guesser, "WRONGCODE")
    resp = enter(client, guesser, code)
    assert "Too many wrong codes" in resp.content.decode()
    assert not LinkCode.objects.get(code=code).used_at
    # Same address, another account: not locked out by the first one's guesses...
    parent = GuardianFactory()
    resp = enter(client, parent, code)
    assert "Too many wrong codes" not in resp.content.decode()
    assert LinkCode.objects.get(code=code).used_by == parent


def test_code_guessing_from_one_address_hits_a_higher_ceiling(client, world, settings):
    """Many accounts guessing from one address: stopped at GUESS_IP_LIMIT for everyone there."""
    code = issue(client, world)
    guessers = [GuardianFactory() for _ in range(common.GUESS_IP_LIMIT // common.GUESS_LIMIT)]
    for guesser in guessers:
        for _ in range(common.GUESS_LIMIT):
            enter(client, guesser, "WRONGCODE")
    resp = enter(client, GuardianFactory(), code)
    assert "Too many wrong codes" in resp.content.decode()
    assert not LinkCode.objects.get(code=code).used_at


def test_other_teacher_cannot_issue_a_code(client, world):
    client.force_login(world.other_teacher)
    resp = client.post(reverse("schools:student_link_code", args=[world.student.pk]))
    assert resp.status_code == 404
    assert not LinkCode.objects.exists()


def test_guardian_revokes_a_link_and_loses_access(client, world):
    link = GuardianLink.objects.get(guardian=world.guardian)
    client.force_login(world.other_guardian)
    assert client.post(reverse("schools:link_revoke", args=[link.pk])).status_code == 404
    client.force_login(world.guardian)
    client.post(reverse("schools:link_revoke", args=[link.pk]))
    link.refresh_from_db()
    assert link.state == GuardianLink.State.REVOKED
    assert not access.students_visible_to(world.guardian).exists()


def test_when_the_consenting_guardian_unlinks_the_other_guardian_waits_for_consent_again(client, world):
    """Consent for an under-14 child was one guardian's: when they remove their link (which
    withdraws it), a second guardian who linked on that consent stops seeing the child until
    consent is given again (theirs, on their page); an older child's links are untouched."""
    child = make_student(world.classroom, under_14=True)
    first, second = GuardianFactory(), GuardianFactory()
    enter(client, first, issue(client, world, child))
    client.post(reverse("schools:consent", args=[GuardianLink.objects.get(guardian=first).pk]), {"agree": "on"})
    enter(client, second, issue(client, world, child))
    later = GuardianLink.objects.get(guardian=second)
    assert later.state == GuardianLink.State.ACTIVE and access.students_visible_to(second).filter(pk=child.pk).exists()

    client.force_login(first)
    client.post(reverse("schools:link_revoke", args=[GuardianLink.objects.get(guardian=first).pk]))
    later.refresh_from_db()
    assert later.state == GuardianLink.State.PENDING and later.activated_at is None
    assert not access.students_visible_to(second).exists()
    client.force_login(second)
    assert client.get(reverse("learning:guardian_child", args=[child.pk])).status_code == 404
    assert "is waiting for your consent" in client.get(reverse("learning:guardian_home")).content.decode()
    client.post(reverse("schools:consent", args=[later.pk]), {"agree": "on"})
    later.refresh_from_db()
    assert later.state == GuardianLink.State.ACTIVE and access.students_visible_to(second).filter(pk=child.pk).exists()


def test_an_older_childs_other_guardian_keeps_their_link(client, world):
    first, second = GuardianFactory(), GuardianFactory()
    enter(client, first, issue(client, world))
    enter(client, second, issue(client, world))
    client.force_login(first)
    client.post(reverse("schools:link_revoke", args=[GuardianLink.objects.get(guardian=first).pk]))
    assert GuardianLink.objects.get(guardian=second).state == GuardianLink.State.ACTIVE


def test_the_consent_notice_says_when_a_deletion_can_be_asked_for(client, world, settings):
    """Not "at any time": a guardian may ask once linked for the grace period (the refusal
    says so too), the school at once."""
    settings.SCHOOLS_DELETION_GRACE_DAYS = 9
    child = make_student(world.classroom, under_14=True)
    parent = GuardianFactory()
    enter(client, parent, issue(client, world, child))
    page = client.get(reverse("schools:consent", args=[GuardianLink.objects.get(guardian=parent).pk])).content.decode()
    assert "ask for it to be deleted once you have been linked for 9 days, or sooner by asking the school" in page
    assert "ask for it to be deleted at any time" not in page


def test_guardian_signs_up_then_links(client, world):
    code = issue(client, world)
    client.logout()
    resp = client.post(
        reverse("schools:guardian_signup"),
        {
            "display_name": "Mrs Lin",
            "username": "mrs.lin",
            "email": "lin@example.com",
            "password": "kettle-moon-river",
        },
    )
    assert resp.status_code == 302
    user = User.objects.get(username="mrs.lin")
    assert user.is_guardian
    resp = client.post(reverse("schools:link_child"), {"code": code})
    assert GuardianLink.objects.filter(guardian=user, student=world.student).exists()


def _sign_up(client, username):
    return client.post(
        reverse("schools:guardian_signup"),
        {
            "display_name": "Mrs Lin",
            "username": username,
            "email": f"{username}@example.com",
            "password": "kettle-moon-river",
        },
    )


def test_guardian_signing_up_in_chinese_gets_a_chinese_account(client, db):
    """The page's language (here from the language switch's cookie) is saved on the new
    account, so the digest, letters and notices come in it too."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert _sign_up(client, "mrs.lin").status_code == 302
    assert User.objects.get(username="mrs.lin").language == "zh-hans"


def test_guardian_signing_up_in_english_or_an_unknown_language_gets_english(client, db):
    assert _sign_up(client, "mr.lin").status_code == 302
    assert User.objects.get(username="mr.lin").language == "en"
    unknown = guardians.sign_up_guardian(
        username="mr.wu", display_name="Mr Wu", email="wu@example.com", password="kettle-moon-river", language="fr"
    )
    assert unknown.language == settings.LANGUAGE_CODE


def test_only_guardians_may_enter_link_codes(client, world):
    code = issue(client, world)
    client.force_login(world.other_student)
    assert client.post(reverse("schools:link_child"), {"code": code}).status_code == 404


def test_revoking_the_only_consenting_link_withdraws_consent(client, world):
    link = GuardianLink.objects.get(guardian=world.guardian)
    guardians.revoke_link(guardian=world.guardian, link=link)
    record = ConsentRecord.objects.get(guardian=world.guardian, student=world.student)
    world.student.student_profile.refresh_from_db()
    assert record.withdrawn_at is not None
    assert world.student.student_profile.consent_given_at is None
