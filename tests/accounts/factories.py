import factory

from accounts.models import User
from accounts.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")
    role = Role.STUDENT
    password = factory.PostGenerationMethodCall("set_password", "netwise-demo")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StudentFactory(UserFactory):
    username = factory.Sequence(lambda n: f"pupil{n}")
    role = Role.STUDENT


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}x")
    role = Role.TEACHER


class GuardianFactory(UserFactory):
    username = factory.Sequence(lambda n: f"parent{n}")
    role = Role.GUARDIAN


class SchoolAdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"head{n}")
    role = Role.SCHOOL_ADMIN


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}x")
    role = Role.EDITOR
    is_staff = True
