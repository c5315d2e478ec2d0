"""Issue 12, route 4: first passwords are hard to guess, and every account is hashed at the
same cost, so a wrong password takes as long for a roster student, any other account and an
unknown username."""

import statistics
import time

import pytest
from django.contrib.auth.hashers import identify_hasher

from accounts.models import User
from accounts.passwords import WORDLIST, generate_password, words
from config.settings import base
from schools.roster import RosterResult, RosterRow
from schools.services import rosters
from tests.accounts.factories import StudentFactory
from tests.schools.factories import ClassroomFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def test_the_word_list_is_long_plain_and_unique():
    pool = words()
    assert len(pool) >= 2048
    assert all(w.isalpha() and w.islower() for w in pool)
    assert len(set(pool)) == len(pool)
    assert "licensed CC BY 3.0" in WORDLIST.read_text().splitlines()[1]


def test_a_first_password_holds_at_least_40_bits():
    import math

    n_words = len(generate_password().split("-"))
    assert n_words * math.log2(len(words())) >= 44


def test_the_cheaper_roster_hasher_only_verifies_old_hashes():
    """New hashes use the default argon2; the old roster hasher is last, so Django re-hashes
    an old printed password with the default at its first log-in."""
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert [h for h in base.PASSWORD_HASHERS if "roster" in h.lower()] == [base.PASSWORD_HASHERS[-1]]


def _roster(classroom, names):
    teacher = classroom.teachers.first()
    rows = [RosterRow(line=i + 2, name=n, grade=7) for i, n in enumerate(names)]
    return rosters.import_roster(actor=teacher, classroom=classroom, result=RosterResult(rows=rows, errors=[]))


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


@pytest.fixture
def classroom(db):
    return ClassroomFactory(teachers=[TeacherFactory()], grade=7)


def _params(encoded):
    decoded = identify_hasher(encoded).decode(encoded)
    return {k: v for k, v in decoded.items() if k not in ("salt", "hash")}


def test_roster_accounts_are_hashed_with_the_same_algorithm_and_parameters(production_hashers, classroom):
    _roster(classroom, ["Wang Yu"])
    roster_user = User.objects.get(username="s.wang.yu")
    other = StudentFactory()
    assert _params(roster_user.password) == _params(other.password)
    assert _params(other.password)["algorithm"] == "argon2"


def test_wrong_passwords_take_as_long_for_every_kind_of_account(client, production_hashers, classroom):
    """Medians of 7 wrong-password log-ins each, interleaved so machine load hits all three
    alike, within 20 % of each other."""
    _roster(classroom, ["Li Ming"])
    normal = StudentFactory(username="teacher.like")
    targets = {"roster": "s.li.ming", "normal": normal.username, "unknown": "s.nobody.here"}
    times = {kind: [] for kind in targets}
    for i in range(7):
        for kind, username in targets.items():
            start = time.perf_counter()
            # A new address each time: no lock-out (which would answer without hashing).
            response = client.post(
                "/accounts/login/",
                {"username": username, "password": "otter-lantern-maple-quilt"},
                REMOTE_ADDR=f"192.0.2.{i + 1}",
            )
            times[kind].append(time.perf_counter() - start)
            assert response.status_code == 200
    medians = {kind: statistics.median(t) for kind, t in times.items()}
    fastest, slowest = min(medians.values()), max(medians.values())
    assert slowest <= fastest * 1.2, medians
