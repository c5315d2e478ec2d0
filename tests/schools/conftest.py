import pytest

from tests.schools.factories import build_world


@pytest.fixture
def world(db):
    return build_world()
