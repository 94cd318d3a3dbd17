"""Language of a text, when neither the feed nor the page says."""

from __future__ import annotations

MIN_CHARS = 40


def detect_language(text: str) -> str | None:
    """ISO 639-1 code from py3langid, or None for texts too short to tell."""
    sample = text.strip()[:4000]
    if len(sample) < MIN_CHARS:
        return None
    import py3langid

    code, _score = py3langid.classify(sample)
    return str(code) or None
