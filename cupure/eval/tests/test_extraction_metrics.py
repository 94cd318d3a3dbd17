import pytest

from cupure.eval.metrics_text import (
    AebScorer,
    SnippetScorer,
    WcxbScorer,
    aeb_page_counts,
    shingles,
    wcxb_page_scores,
)


def test_shingles_are_runs_of_four_tokens_and_short_texts_are_one_shingle():
    assert sum(shingles("a b c d e".split()).values()) == 2
    assert shingles(["a", "b"]) == {("a", "b"): 1}
    assert shingles([]) == {}


def test_aeb_counts_are_normalised_so_each_page_weighs_the_same():
    counts = aeb_page_counts("one two three four five", "one two three four six")
    # gold shingles {1234, 2345}, predicted {1234, 2346}: TP 1, FP 1, FN 1 -> thirds
    assert counts.tp == pytest.approx(1 / 3)
    assert counts.fp == pytest.approx(1 / 3)
    assert counts.fn == pytest.approx(1 / 3)


def test_aeb_f1_is_the_harmonic_mean_of_averaged_precision_and_recall():
    scorer = AebScorer()
    scorer.add("a b c d e f", "a b c d e f")  # perfect: P 1, R 1
    scorer.add("a b c d e f", "a b c d")  # P 1, R 1/3
    scorer.add("a b c d", "")  # empty output: no precision entry, R 0
    result = scorer.result()
    assert result["precision"] == pytest.approx(1.0)
    assert result["recall"] == pytest.approx((1 + 1 / 3 + 0) / 3)
    expected_f1 = 2 * result["recall"] / (1 + result["recall"])
    assert result["f1"] == pytest.approx(expected_f1)
    assert result["accuracy"] == pytest.approx(1 / 3)


def test_aeb_is_case_sensitive():
    assert AebScorer().add("Alpha beta gamma delta", "alpha beta gamma delta") == 0.0


def test_wcxb_scores_lowercased_token_bags():
    p, r, f = wcxb_page_scores("The cat sat. The end", "the CAT sat on")
    assert (p, r) == (pytest.approx(3 / 4), pytest.approx(3 / 5))
    assert f == pytest.approx(2 * 0.75 * 0.6 / 1.35)


@pytest.mark.parametrize(("predicted", "expected"), [("", 1.0), ("something", 0.0)])
def test_wcxb_empty_gold_scores_one_only_for_an_empty_prediction(predicted, expected):
    assert wcxb_page_scores("", predicted)[2] == expected


def test_wcxb_reports_the_mean_of_page_f1_and_snippet_rates():
    scorer = WcxbScorer()
    scorer.add("a b", "a b", with_=["A B"], without=["zzz"])
    scorer.add("a b", "", with_=["a"], without=[])
    result = scorer.result()
    assert result["f1"] == pytest.approx(0.5)
    assert result["with_rate"] == pytest.approx(0.5)
    assert result["without_rate"] == pytest.approx(0.0)


def test_snippet_scores_sum_counts_over_pages_after_whitespace_normalisation():
    scorer = SnippetScorer()
    scorer.add(["first  line", "missing"], ["menu"], "first\nline and menu")
    scorer.add(["x"], ["y"], "")  # no output: TP = FP = 0
    result = scorer.result()
    # TP 1, FN 2, FP 1, TN 1
    assert result["precision"] == pytest.approx(0.5)
    assert result["recall"] == pytest.approx(1 / 3)
    assert result["accuracy"] == pytest.approx(2 / 5)
    assert result["f1"] == pytest.approx(2 / (2 + 1 + 2))


def test_snippets_are_case_sensitive():
    scorer = SnippetScorer()
    scorer.add(["Hello"], [], "hello")
    assert scorer.result()["recall"] == 0.0
