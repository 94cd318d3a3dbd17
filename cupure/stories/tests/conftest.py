from __future__ import annotations

from collections.abc import Iterator

import pytest

from cupure.sources.models import Source
from cupure.stories.services import reset_cache
from cupure.stories.tests import helpers as h


@pytest.fixture(autouse=True)
def _fresh_clusterer() -> Iterator[None]:
    """Each test's database starts empty: no clusterer state may leak from the previous test."""
    reset_cache()
    yield
    reset_cache()


@pytest.fixture
def outlets() -> tuple[Source, Source, Source]:
    """Three outlets: the stories tests' sources."""
    return (
        h.source("courier", "The Courier"),
        h.source("wire", "Meridian Wire"),
        h.source("gazette", "Gazette"),
    )
