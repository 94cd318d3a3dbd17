import math

import pytest

from cupure.eval.metrics_cluster import ari, bcubed, nmi, pairwise, pearson

GOLD = ["a", "a", "a", "b", "b", "c"]
PRED = [1, 1, 2, 2, 2, 3]


def test_identical_partitions_score_one_whatever_the_labels():
    relabelled = ["x", "x", "x", "y", "y", "z"]
    assert nmi(GOLD, relabelled) == pytest.approx(1.0)
    assert bcubed(GOLD, relabelled).f1 == pytest.approx(1.0)
    assert pairwise(GOLD, relabelled).f1 == pytest.approx(1.0)
    assert ari(GOLD, relabelled) == pytest.approx(1.0)


def test_nmi_follows_the_readme_formula_on_a_worked_example():
    n = 6
    table = {("a", 1): 2, ("a", 2): 1, ("b", 2): 2, ("c", 3): 1}
    gold_sizes, pred_sizes = {"a": 3, "b": 2, "c": 1}, {1: 2, 2: 3, 3: 1}
    mutual = sum(v * math.log(n * v / (gold_sizes[c] * pred_sizes[k])) for (c, k), v in table.items())
    h_c = sum(v * math.log(v / n) for v in gold_sizes.values())
    h_k = sum(v * math.log(v / n) for v in pred_sizes.values())
    assert nmi(GOLD, PRED) == pytest.approx(mutual / math.sqrt(h_c * h_k))


def test_nmi_is_one_when_both_sides_are_a_single_cluster():
    assert nmi(["a", "a"], [7, 7]) == 1.0


def test_bcubed_on_a_worked_example():
    # Per document P: 1, 1, 1/3, 2/3, 2/3, 1 ; R: 2/3, 2/3, 1/3, 1, 1, 1
    result = bcubed(GOLD, PRED)
    assert result.precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3 + 1) / 6)
    assert result.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1 + 1) / 6)


def test_pairwise_counts_unordered_pairs():
    # Predicted pairs: (0,1), (2,3), (2,4), (3,4) = 4; gold pairs: 3 + 1 = 4; together in both: (0,1), (3,4).
    result = pairwise(GOLD, PRED)
    assert result.precision == pytest.approx(0.5) and result.recall == pytest.approx(0.5)


def test_ari_is_near_zero_for_an_unrelated_split_and_pearson_is_signed():
    assert abs(ari([0, 0, 1, 1] * 10, [0, 1] * 20)) < 0.1
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
