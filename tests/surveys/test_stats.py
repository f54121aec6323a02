"""surveys/stats.py against an independent computation: scipy.stats' own tests and intervals, and the
noncentral-t intervals solved with brentq, on generated data sets, to 1e-9."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import optimize
from scipy import stats as scipy_stats

from surveys import stats

TOLERANCE = 1e-9


def close(ours, theirs):
    assert ours == pytest.approx(theirs, rel=TOLERANCE, abs=TOLERANCE)


def nct_interval(t_obs: float, df: float) -> tuple[float, float]:
    """The noncentralities that put t_obs at the 97.5th and 2.5th percentile, by brentq."""

    def solve(target):
        def f(lam):
            c = scipy_stats.nct.cdf(t_obs, df, lam)
            if math.isnan(c):  # scipy's far tail: the cdf is 0 or 1 there
                c = 0.0 if lam > t_obs else 1.0
            return c - target

        width = 10.0
        while f(t_obs - width) * f(t_obs + width) > 0 and width < 1e4:  # one degree of freedom: very wide
            width *= 2
        return optimize.brentq(f, t_obs - width, t_obs + width, xtol=1e-14)

    return solve(0.975), solve(0.025)


def sample(n: int, seed: int, shift: float = 0.3):
    rng = np.random.default_rng(seed)
    pre = rng.normal(3.0, 0.8, n).round(2)
    post = (pre + rng.normal(shift, 0.6, n)).round(2)
    return pre, post


@pytest.mark.parametrize(("n", "seed"), [(2, 1), (3, 2), (12, 3), (40, 4), (500, 5), (10_000, 6)])
def test_a_paired_effect_agrees_with_scipy(n, seed):
    pre, post = sample(n, seed)
    ours = stats.paired_effect(pre, post)
    theirs = scipy_stats.ttest_rel(post, pre)
    change = post - pre
    close(ours.mean_change[0], change.mean())
    close(ours.sd_change[0], change.std(ddof=1))
    close(ours.t[0], theirs.statistic)
    close(ours.p[0], theirs.pvalue)
    assert ours.df[0] == theirs.df
    interval = theirs.confidence_interval(0.95)
    close(ours.change_low[0], interval.low)
    close(ours.change_high[0], interval.high)
    d = change.mean() / change.std(ddof=1)
    close(ours.d_z[0], d)
    low, high = nct_interval(theirs.statistic, n - 1)
    close(ours.d_z_low[0], low / math.sqrt(n))
    close(ours.d_z_high[0], high / math.sqrt(n))
    j = 1 - 3 / (4 * (n - 1) - 1)
    close(ours.g_z[0], j * d)
    close(ours.g_z_low[0], j * low / math.sqrt(n))
    close(ours.improvement_index[0], 100 * scipy_stats.norm.cdf(j * d) - 50)


def test_cells_are_finished_together_exactly_as_one_by_one():
    cells = [sample(n, seed) for n, seed in ((5, 10), (30, 11), (2, 12), (200, 13))]
    together = stats.paired_effects(
        n=[len(p) for p, _ in cells],
        sum_pre=[p.sum() for p, _ in cells],
        sum_post=[q.sum() for _, q in cells],
        sum_change=[(q - p).sum() for p, q in cells],
        sum_change_squared=[((q - p) ** 2).sum() for p, q in cells],
    )
    for i, (pre, post) in enumerate(cells):
        alone = stats.paired_effect(pre, post)
        for name in ("t", "p", "change_low", "d_z", "d_z_low", "d_z_high", "g_z_high"):
            close(getattr(together, name)[i], getattr(alone, name)[0])


def test_one_student_has_a_change_but_no_spread_and_no_student_has_nothing():
    one = stats.paired_effect([2.0], [3.5])
    assert one.mean_change[0] == 1.5
    assert all(
        math.isnan(getattr(one, name)[0]) for name in ("sd_change", "t", "p", "change_low", "d_z", "d_z_low", "g_z")
    )
    none = stats.paired_effects(n=[0], sum_pre=[0], sum_post=[0], sum_change=[0], sum_change_squared=[0])
    assert all(math.isnan(getattr(none, name)[0]) for name in ("mean_pre", "mean_change", "t", "d_z"))


def test_everyone_changing_by_the_same_amount_is_as_scipy_says_and_has_no_effect_size():
    pre = np.array([2.0, 3.0, 4.0])
    ours = stats.paired_effect(pre, pre + 0.5)
    with np.errstate(all="ignore"):
        theirs = scipy_stats.ttest_rel(pre + 0.5, pre)
    assert ours.t[0] == theirs.statistic == math.inf and ours.p[0] == theirs.pvalue == 0.0
    assert ours.change_low[0] == ours.change_high[0] == 0.5
    assert not math.isfinite(ours.d_z[0]) and math.isnan(ours.d_z_low[0])
    unchanged = stats.paired_effect(pre, pre)
    assert math.isnan(unchanged.t[0]) and math.isnan(unchanged.p[0])


def test_matched_scores_must_be_pairs():
    with pytest.raises(ValueError):
        stats.paired_effect([1, 2, 3], [1, 2])


@pytest.mark.parametrize(("n_a", "n_b", "seed"), [(2, 2, 20), (5, 9, 21), (30, 25, 22), (400, 380, 23)])
def test_independent_groups_agree_with_welchs_test_and_hedges_g(n_a, n_b, seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(3.0, 0.9, n_a).round(2)
    b = rng.normal(3.3, 0.7, n_b).round(2)
    ours = stats.independent_effect(a, b)
    theirs = scipy_stats.ttest_ind(b, a, equal_var=False)
    close(ours.t[0], theirs.statistic)
    close(ours.p[0], theirs.pvalue)
    close(ours.df[0], theirs.df)
    interval = theirs.confidence_interval(0.95)
    close(ours.difference_low[0], interval.low)
    close(ours.difference_high[0], interval.high)
    pooled = math.sqrt(((n_a - 1) * a.var(ddof=1) + (n_b - 1) * b.var(ddof=1)) / (n_a + n_b - 2))
    d = (b.mean() - a.mean()) / pooled
    j = 1 - 3 / (4 * (n_a + n_b) - 9)
    close(ours.g_s[0], j * d)
    scale = math.sqrt(1 / n_a + 1 / n_b)
    low, high = nct_interval(d / scale, n_a + n_b - 2)
    close(ours.g_s_low[0], j * low * scale)
    close(ours.g_s_high[0], j * high * scale)


def test_hedges_correction_is_the_stated_formula():
    close(stats.hedges_j([9])[0], 1 - 3 / 35)
    assert math.isnan(stats.hedges_j([0])[0])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@given(
    changes=st.lists(
        st.floats(min_value=-3, max_value=3, allow_nan=False).map(lambda x: round(x, 2)), min_size=2, max_size=60
    ),
)
@settings(max_examples=60, deadline=None)
def test_any_matched_sample_agrees_with_scipy(changes):
    pre = np.linspace(1, 4, len(changes)).round(2)
    post = pre + np.array(changes)
    change = post - pre
    assume(change.std(ddof=1) > 1e-6)
    ours = stats.paired_effect(pre, post)
    theirs = scipy_stats.ttest_rel(post, pre)
    assert ours.t[0] == pytest.approx(theirs.statistic, rel=1e-7, abs=1e-7)
    assert ours.p[0] == pytest.approx(theirs.pvalue, rel=1e-7, abs=1e-9)
    if abs(theirs.statistic) < 30:
        low, high = nct_interval(theirs.statistic, len(changes) - 1)
        assert ours.d_z_low[0] == pytest.approx(low / math.sqrt(len(changes)), rel=1e-7, abs=1e-9)
        assert ours.d_z_high[0] == pytest.approx(high / math.sqrt(len(changes)), rel=1e-7, abs=1e-9)


@pytest.mark.parametrize(("n_a", "n_b", "seed"), [(2, 1, 30), (12, 3, 31), (40, 38, 32), (500, 60, 33)])
def test_the_attrition_difference_is_the_pooled_standardised_difference(n_a, n_b, seed):
    """(mean a - mean b) / pooled SD with ddof 1, as scipy's pooled two-sample t gives it: t * sqrt(1/n_a + 1/n_b)."""
    rng = np.random.default_rng(seed)
    a = rng.normal(3.0, 0.8, n_a).round(2)
    b = rng.normal(2.8, 0.9, n_b).round(2)
    ours = stats.standardised_difference(
        n_a=[n_a],
        sum_a=[a.sum()],
        sum_a_squared=[(a**2).sum()],
        n_b=[n_b],
        sum_b=[b.sum()],
        sum_b_squared=[(b**2).sum()],
    )
    pooled_t = scipy_stats.ttest_ind(a, b, equal_var=True).statistic
    close(ours[0], pooled_t * math.sqrt(1 / n_a + 1 / n_b))
    ss = ((a - a.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum()
    close(ours[0], (a.mean() - b.mean()) / math.sqrt(ss / (n_a + n_b - 2)))


def test_the_attrition_difference_needs_two_groups_and_a_spread():
    nothing = stats.standardised_difference(
        n_a=[5, 0, 1, 3], sum_a=[15, 0, 3, 9], sum_a_squared=[45, 0, 9, 27],
        n_b=[0, 4, 1, 2], sum_b=[0, 8, 2, 6], sum_b_squared=[0, 16, 4, 18],
    )  # fmt: skip
    assert np.isnan(nothing).all()  # nobody unmatched; nobody matched; two students in all; no spread at all
