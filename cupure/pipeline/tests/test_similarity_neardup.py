from cupure.pipeline.similarity.neardup import (
    Signature,
    is_near_duplicate,
    jaccard_estimate,
    neardup_signature,
    verify_near_duplicate,
)

ORIGINAL = """The central bank raised its main interest rate by 25 basis points to 4.5 percent on Thursday,
its third increase this year, citing stubborn inflation in services.

The governor said further moves would depend on wage data due in March and warned that energy prices
remained a risk for the outlook over the coming months.

Analysts had expected the move, although two members of the committee voted to keep rates on hold.

Markets reacted calmly, with the currency little changed against the dollar in afternoon trading."""

COPY = """Subscribe to our newsletter for the day's top stories.

The governor said further moves would depend on wage data due in March and warned that energy prices
remained a risk for the outlook over the coming months.

The central bank raised its main interest rate by 25 basis points to 4.5 percent on Thursday, its third
increase this year, citing stubborn inflation in services.

Analysts had expected the move, although two members of the committee voted to keep rates on hold."""

OTHER = """The city council approved a new cycling plan on Tuesday that adds 40 kilometres of protected lanes
by 2028, funded partly by a parking levy that shopkeepers had opposed for months."""

TEMPLATE_A = (
    "Wheat price 2.63 dlrs corn price 1.38 dlrs oats price 1.65 dlrs barley price 1.72 dlrs sorghum 2.40"
)
TEMPLATE_B = (
    "Wheat price 2.55 dlrs corn price 1.35 dlrs oats price 1.60 dlrs barley price 1.70 dlrs sorghum 2.40"
)


def test_a_reordered_trimmed_copy_with_boilerplate_is_a_near_duplicate():
    a, b = neardup_signature(ORIGINAL), neardup_signature(COPY)
    assert set(a.band_keys) & set(b.band_keys)
    assert is_near_duplicate(a, b)
    assert verify_near_duplicate(ORIGINAL, COPY)


def test_an_unrelated_text_is_not():
    a, b = neardup_signature(ORIGINAL), neardup_signature(OTHER)
    assert not is_near_duplicate(a, b)
    assert not verify_near_duplicate(ORIGINAL, OTHER)
    assert jaccard_estimate(a, b) < 0.1


def test_template_reports_with_other_figures_are_not_copies():
    assert not verify_near_duplicate(TEMPLATE_A, TEMPLATE_B)


def test_band_keys_are_stable_strings_and_survive_json():
    sig = neardup_signature(ORIGINAL)
    assert sig == neardup_signature(" ".join(ORIGINAL.split()))  # line wrapping does not matter
    assert all(isinstance(k, str) and len(k) == 18 for k in sig.band_keys)
    assert Signature.from_json(sig.to_json()) == sig


def test_empty_text_has_no_keys_and_matches_nothing():
    empty = neardup_signature("  ")
    assert empty.band_keys == () and not is_near_duplicate(empty, neardup_signature(ORIGINAL))
