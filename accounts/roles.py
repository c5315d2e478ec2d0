"""Account kinds: what home and navigation a person gets. Rules about *whose* data they
may see live in schools/access.py, never here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    GUARDIAN = "guardian", _("Parent or guardian")
    SCHOOL_ADMIN = "school_admin", _("School admin")
    EDITOR = "editor", _("Curriculum editor")
    DISTRICT_OFFICER = "district_officer", _("District officer")


STUDENT = Role.STUDENT
TEACHER = Role.TEACHER
GUARDIAN = Role.GUARDIAN
SCHOOL_ADMIN = Role.SCHOOL_ADMIN
EDITOR = Role.EDITOR
STAFF_ROLES = (TEACHER, SCHOOL_ADMIN)
# The roles a staff member holds in one school (schools.SchoolMembership). A student's
# school is their schools.StudentProfile, not a membership.
SCHOOL_ROLES = (TEACHER, SCHOOL_ADMIN)
