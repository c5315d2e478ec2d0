"""Demo district: one bureau holding both demo schools, and the demo officer `district`.
Idempotent: found by slug and username, created only when missing; figures rebuilt."""

from accounts.roles import Role
from districts import aggregates
from districts.models import District, DistrictOfficer, DistrictSchool
from schools.models import School

from .accounts import ensure_user

DEMO_DISTRICT = ("demo-district", "Riverside District Education Bureau")
DEMO_SCHOOLS = ["riverside", "hillside"]


def run(stdout=None):
    slug, name = DEMO_DISTRICT
    district, _ = District.objects.get_or_create(slug=slug, defaults={"name": name})
    for school in School.objects.filter(slug__in=DEMO_SCHOOLS):
        DistrictSchool.objects.get_or_create(school=school, defaults={"district": district})
    officer = ensure_user("district", display_name="District Officer Gao", role=Role.DISTRICT_OFFICER)
    DistrictOfficer.objects.get_or_create(district=district, user=officer)
    n = aggregates.refresh()
    if stdout:
        stdout.write(f"districts: {district.name}, {n} school(s), figures refreshed")
