import pytest

from tests.quizzes.factories import make_quiz


@pytest.fixture
def quiz(db):
    return make_quiz()


@pytest.fixture
def curriculum_dir(tmp_path):
    import shutil

    from courses.curriculum import HERE

    target = tmp_path / "curriculum"
    target.mkdir()
    for name in ("m01-digital-citizenship.yaml", "m07-cyberbullying.yaml"):
        shutil.copy(HERE / name, target / name)
    return target


@pytest.fixture
def catalogue(db, curriculum_dir):
    from courses import seed as course_seed

    course_seed.run(directory=curriculum_dir)
