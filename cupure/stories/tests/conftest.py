from __future__ import annotations

from collections.abc import Iterator

import pytest

from cupure.stories.services import reset_cache


@pytest.fixture(autouse=True)
def _fresh_clusterer() -> Iterator[None]:
    """Each test's database starts empty: no clusterer state may leak from the previous test."""
    reset_cache()
    yield
    reset_cache()
