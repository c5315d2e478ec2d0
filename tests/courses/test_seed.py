import time

from courses import seed
from courses.curriculum import load_all
from courses.models import CoursePage, LessonPage


def test_seed_smoke(db):
    t = time.monotonic()
    seed.run()
    print("seed", time.monotonic() - t)
    assert CoursePage.objects.live().count() == 11
    assert LessonPage.objects.live().count() == sum(len(d["lessons"]) for d in load_all())
