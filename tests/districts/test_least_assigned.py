"""'Modules assigned least': fewest classes first, then the curriculum's order, every tie kept."""

import pytest

from courses.models import CoursePage
from districts import selectors
from districts.models import ModuleFigure
from tests.districts.factories import make_district
from tests.learning.factories import make_course
from tests.schools.factories import SchoolFactory


def _district_with_modules(classes_by_module):
    """One school; module Mi (created in curriculum order) given to `classes_by_module[i]` classes."""
    school = SchoolFactory()
    district = make_district(school)
    figures = []
    for i, classes in enumerate(classes_by_module, start=1):
        course, _ = make_course(lessons=0, title=f"Module number {i}")
        CoursePage.objects.filter(pk=course.pk).update(module_code=f"M{i}")
        if classes:
            figures.append(
                ModuleFigure(school=school, grade=7, course=course, classes_assigned=classes, learners=20 * classes)
            )
    ModuleFigure.objects.bulk_create(figures)
    return district


def _least(district):
    return [
        (m["module"].split()[0], m["classes"]) for m in selectors.district_report(district=district)["least_assigned"]
    ]


@pytest.mark.django_db
def test_modules_with_no_class_are_all_listed_in_curriculum_order():
    """The demo's case: M1–M4 given to 3 classes each, M5–M11 to none. M10 and M11 come after
    M9 (not before M5, as text sorts them), and M8 and M9, tied at 0 with the fifth, are not
    left out."""
    district = _district_with_modules([3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0])
    assert _least(district) == [(f"M{i}", 0) for i in range(5, 12)]


@pytest.mark.django_db
def test_fewest_classes_first_then_module_order_and_ties_at_the_cut_off_kept():
    district = _district_with_modules([2, 1, 4, 2, 2, 2, 9, 2, 5, 1, 3])
    # 1 class: M2, M10; 2 classes: M1, M4, M5, M6, M8 (the fifth place is a tie of five: all kept).
    assert _least(district) == [("M2", 1), ("M10", 1), ("M1", 2), ("M4", 2), ("M5", 2), ("M6", 2), ("M8", 2)]


@pytest.mark.django_db
def test_no_tie_at_the_cut_off_lists_five():
    district = _district_with_modules([5, 1, 2, 3, 4, 6, 7])
    assert _least(district) == [("M2", 1), ("M3", 2), ("M4", 3), ("M5", 4), ("M1", 5)]
