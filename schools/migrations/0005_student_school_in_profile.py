"""A student's school is their StudentProfile, never a SchoolMembership: every student
membership gives way to the profile. A student account with a membership and no profile gets
a profile in that school first (its earliest active membership's school, else its earliest)."""

from django.db import migrations

STUDENT = "student"


def memberships_to_profiles(apps, schema_editor):
    SchoolMembership = apps.get_model("schools", "SchoolMembership")
    StudentProfile = apps.get_model("schools", "StudentProfile")
    rows = SchoolMembership.objects.filter(role=STUDENT)
    with_profile = set(StudentProfile.objects.values_list("user_id", flat=True))
    missing = {}
    for user_id, school_id, role in rows.order_by("-is_active", "pk").values_list(
        "user_id", "school_id", "user__role"
    ):
        if role == STUDENT and user_id not in with_profile:
            missing.setdefault(user_id, school_id)
    StudentProfile.objects.bulk_create(
        [StudentProfile(user_id=user_id, school_id=school_id) for user_id, school_id in missing.items()],
        batch_size=1000,
    )
    rows.delete()


def profiles_to_memberships(apps, schema_editor):
    SchoolMembership = apps.get_model("schools", "SchoolMembership")
    StudentProfile = apps.get_model("schools", "StudentProfile")
    SchoolMembership.objects.bulk_create(
        [
            SchoolMembership(user_id=user_id, school_id=school_id, role=STUDENT)
            for user_id, school_id in StudentProfile.objects.values_list("user_id", "school_id")
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("schools", "0004_deletion_request")]

    operations = [migrations.RunPython(memberships_to_profiles, profiles_to_memberships)]
