"""Districts, officers and a small district world for district tests."""

from accounts.roles import Role
from districts.models import District, DistrictOfficer, DistrictSchool
from tests.accounts.factories import UserFactory

_n = {"n": 0}


def make_district(*schools, officer=None, name=None):
    _n["n"] += 1
    district = District.objects.create(name=name or f"District {_n['n']}", slug=f"district-{_n['n']}")
    for school in schools:
        DistrictSchool.objects.create(district=district, school=school)
    if officer is not None:
        DistrictOfficer.objects.create(district=district, user=officer)
    return district


def make_officer(**kwargs):
    return UserFactory(role=Role.DISTRICT_OFFICER, **kwargs)
