from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_forms(settings: pytest.FixtureRequest) -> None:
    """Forms may be sent at once (the 3-second minimum has its own tests)."""
    settings.COMMENTS_FORM_MIN_SECONDS = 0  # type: ignore[attr-defined]
