"""Class and school pages make a fixed number of queries, whatever their size."""

import pytest
from django.urls import reverse

from tests.schools.factories import make_student


@pytest.mark.parametrize("size", [5, 60])
def test_class_page_queries_do_not_grow_with_the_class(client, world, size, django_assert_max_num_queries):
    for _ in range(size):
        make_student(world.classroom)
    client.force_login(world.teacher)
    with django_assert_max_num_queries(8):
        resp = client.get(reverse("schools:class_detail", args=[world.classroom.pk]))
    assert len(resp.context["enrollments"]) == size + 1


@pytest.mark.parametrize("size", [5, 60])
def test_school_page_queries_do_not_grow_with_the_school(client, world, size, django_assert_max_num_queries):
    for _ in range(size):
        make_student(world.other_classroom)
    client.force_login(world.school_admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("schools:school_detail")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("schools:class_list")).status_code == 200
