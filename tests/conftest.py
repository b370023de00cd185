import pytest

from tests.base import World, build_world, ensure_reference_data


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def reference(db: None) -> None:
    ensure_reference_data()
