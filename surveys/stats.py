"""The outcome statistics: pure functions over numpy arrays, one element per cell of a report.

No Django here. The database groups the sums (n, sum and sum of squares of each student's change, sums of
pre and post) by school, grade, classroom and subscale; these functions finish every cell at once, so a
report costs one query and one vectorised pass, not a scipy call per row (measured here: per-row calls
cost more than the SQL itself, 2.7 s for 16,000 rows).

The formulas, stated once (the outcomes page repeats them):

* ``ddof = 1`` everywhere: the SD of change is sqrt((sum d^2 - n * mean^2) / (n - 1)).
* **Paired t**: t = mean change / (SD / sqrt n), df = n - 1, two-sided p; the 95% CI of the mean change
  is mean +- t(0.975, df) * SD / sqrt n.
* **Cohen's d_z** = mean change / SD of change (the standardised mean *change*, the paired design's own
  effect size; not d_av, which divides by the SD of the scores). Its 95% CI inverts the noncentral t:
  the noncentrality parameters lambda for which t_obs is the 2.5th and 97.5th percentile of
  t(df, lambda), divided by sqrt n.
* **g_z** = J * d_z with Hedges' small-sample correction J = 1 - 3 / (4 (n - 1) - 1); its CI is J times
  d_z's.
* **Independent groups** (anonymous cycles, where pre and post cannot be matched): Welch's t with the
  Welch-Satterthwaite (fractional) df, the CI of the difference of means (b - a) on that df, and Hedges'
  g_s = J * d_s with d_s the difference over the pooled SD, J = 1 - 3 / (4 (n_a + n_b) - 9), its CI from
  the noncentral t on n_a + n_b - 2 df.
* **WWC improvement index** = 100 * Phi(g) - 50: the percentile points an average student moves.
* **Attrition** (the pre scores of the students who stayed against those who did not): the standardised
  difference (mean a - mean b) / pooled SD, each group's sum of squares about its own mean pooled on
  n_a + n_b - 2 df (ddof = 1); the What Works Clearinghouse reads |d| <= 0.05 as fine, up to 0.25 as needing
  statistical adjustment, above 0.25 as a warning.

Edge cases, decided: a cell with n = 0 has no figure at all (NaN); with n = 1 it has means and a change
but no SD, t, p or intervals. When every student changed by exactly the same amount (SD 0), t is +-inf
and p is 0 as scipy's ``ttest_rel`` says (0/0, no change at all, is NaN), the CI of the change is that
one value, and d_z and its CI are not finite: the page shows no effect size for such a cell.
"""

from dataclasses import dataclass

import numpy as np
from scipy import special, stats

LEVEL = 0.95
_TAIL = (1 - LEVEL) / 2
_BISECTION_STEPS = 200


def _array(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def hedges_j(df) -> np.ndarray:
    """Hedges' small-sample correction for ``df`` degrees of freedom: 1 - 3 / (4 df - 1)."""
    df = _array(df)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(df > 0, 1 - 3 / (4 * df - 1), np.nan)


def _noncentrality_bounds(t_obs: np.ndarray, df: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lambdas with P(T <= t_obs | df, lambda) = 0.975 and = 0.025, for every cell at once.

    A secant iteration on scipy's ``nctdtr`` from the normal approximation of the noncentral t finds them,
    each cell stopping once its step is below 1e-13 (about 5 evaluations of the cdf a cell; scipy's own
    inversion ``nctdtrinc`` costs some 7 and still needs sharpening: 0.47 s for 21,600 cells against 0.2 s).
    Where it does not settle, ``nctdtrinc`` and a few secant steps take over, and where that gives no answer,
    a vectorised bisection. Cells whose t or df is not finite get NaN.
    """
    ok = np.isfinite(t_obs) & np.isfinite(df) & (df > 0)
    t = np.where(ok, t_obs, 0.0)
    d = np.where(ok, df, 1.0)
    bounds = []
    for target in (1 - _TAIL, _TAIL):
        with np.errstate(all="ignore"):
            found = _from_normal_approximation(t, d, target)
            unsettled = ok & ~np.isfinite(found)
            if unsettled.any():
                found[unsettled] = _secant(
                    special.nctdtrinc(d[unsettled], target, t[unsettled]), t[unsettled], d[unsettled], target
                )
        missing = ok & ~np.isfinite(found)
        if missing.any():
            found[missing] = _bisect(t[missing], d[missing], target)
        bounds.append(np.where(ok, found, np.nan))
    return bounds[0], bounds[1]


def _from_normal_approximation(t: np.ndarray, d: np.ndarray, target: float, steps: int = 40) -> np.ndarray:
    """The secant iteration from T ~ (Z + lambda) / sqrt(chi2_df / df): with c = E sqrt(chi2_df / df),
    P(T <= t) ~ Phi((t c - lambda) / sqrt(1 + t^2 (1 - c^2))). NaN where it does not settle."""
    c = np.exp(special.gammaln((d + 1) / 2) - special.gammaln(d / 2)) * np.sqrt(2 / d)
    spread = np.sqrt(1 + t**2 * np.maximum(1 - c**2, 0.0))
    start = t * c - special.ndtri(target) * spread
    result = np.full(t.shape, np.nan)
    at = np.arange(t.size)
    t_, d_ = t, d
    previous, current = start, start + 0.01 * spread
    f_previous = special.nctdtr(d_, previous, t_) - target
    f_current = special.nctdtr(d_, current, t_) - target
    for _ in range(steps):
        slope = (f_current - f_previous) / (current - previous)
        step = f_current / slope
        moved = current - step
        done = np.abs(step) <= 1e-13 * (1 + np.abs(moved))
        bad = ~np.isfinite(moved)
        result[at[done & ~bad]] = moved[done & ~bad]
        keep = ~done & ~bad
        if not keep.any():
            break
        at, t_, d_ = at[keep], t_[keep], d_[keep]
        previous, f_previous, current = current[keep], f_current[keep], moved[keep]
        f_current = special.nctdtr(d_, current, t_) - target
    return result


def _secant(start: np.ndarray, t: np.ndarray, d: np.ndarray, target: float, steps: int = 4) -> np.ndarray:
    """``nctdtrinc``'s answer is good to about 1e-8; a few secant steps on ``nctdtr`` take it to 1e-12."""
    previous, current = start + 1e-6 * (1 + np.abs(start)), start
    f_previous = special.nctdtr(d, previous, t) - target
    for _ in range(steps):
        f_current = special.nctdtr(d, current, t) - target
        slope = (f_current - f_previous) / (current - previous)
        step = np.where(np.isfinite(slope) & (slope != 0), f_current / slope, 0.0)
        previous, f_previous = current, f_current
        current = current - step
    return current


def _bisect(t: np.ndarray, d: np.ndarray, target: float) -> np.ndarray:
    """The lambda with nctdtr(d, lambda, t) = target, by bisection (the cdf falls as lambda rises). The
    bracket starts a few standard errors of lambda either side of t and is widened while the bound lies
    outside it; where the cdf itself gives up (NaN, far in a tail) the side of t decides."""
    width = 1 + 4 * np.sqrt(1 + t**2 / (2 * d))
    low, high = t - width, t + width
    for _ in range(60):
        low_cdf, high_cdf = special.nctdtr(d, low, t), special.nctdtr(d, high, t)
        if not ((low_cdf < target) | (high_cdf > target)).any():
            break
        low = np.where(low_cdf < target, low - width, low)
        high = np.where(high_cdf > target, high + width, high)
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        cdf = special.nctdtr(d, middle, t)
        above = np.where(np.isnan(cdf), middle < t, cdf > target)
        low = np.where(above, middle, low)
        high = np.where(above, high, middle)
    return (low + high) / 2


@dataclass(frozen=True)
class PairedEffects:
    """Each field is an array with one element per cell."""

    n: np.ndarray
    mean_pre: np.ndarray
    mean_post: np.ndarray
    mean_change: np.ndarray
    sd_change: np.ndarray
    t: np.ndarray
    df: np.ndarray
    p: np.ndarray
    change_low: np.ndarray
    change_high: np.ndarray
    d_z: np.ndarray
    d_z_low: np.ndarray
    d_z_high: np.ndarray
    g_z: np.ndarray
    g_z_low: np.ndarray
    g_z_high: np.ndarray
    improvement_index: np.ndarray


def paired_effects(*, n, sum_pre, sum_post, sum_change, sum_change_squared) -> PairedEffects:
    """Every cell's paired statistics from its sums (see the module's docstring for the formulas)."""
    n = _array(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_pre = np.where(n > 0, _array(sum_pre) / n, np.nan)
        mean_post = np.where(n > 0, _array(sum_post) / n, np.nan)
        mean_change = np.where(n > 0, _array(sum_change) / n, np.nan)
        df = np.where(n > 1, n - 1, np.nan)
        # Sums of squares can come out a hair below n * mean^2 in floating point: never a negative variance.
        variance = np.maximum((_array(sum_change_squared) - n * mean_change**2) / df, 0.0)
        sd = np.sqrt(variance)
        se = sd / np.sqrt(n)
        t = mean_change / se
        p = np.where(np.isnan(t), np.nan, 2 * stats.t.sf(np.abs(t), df))
        margin = stats.t.ppf(1 - _TAIL, df) * se
        change_low, change_high = mean_change - margin, mean_change + margin
        d_z = mean_change / sd
        lam_low, lam_high = _noncentrality_bounds(t, df)
        d_z_low, d_z_high = lam_low / np.sqrt(n), lam_high / np.sqrt(n)
        j = hedges_j(df)
        g_z = j * d_z  # n = 1: no J, and d_z is infinite
    return PairedEffects(
        n=n,
        mean_pre=mean_pre,
        mean_post=mean_post,
        mean_change=mean_change,
        sd_change=np.where(n > 1, sd, np.nan),
        t=t,
        df=df,
        p=p,
        change_low=change_low,
        change_high=change_high,
        d_z=d_z,
        d_z_low=d_z_low,
        d_z_high=d_z_high,
        g_z=g_z,
        g_z_low=j * d_z_low,
        g_z_high=j * d_z_high,
        improvement_index=improvement_index(g_z),
    )


def paired_effect(pre, post) -> PairedEffects:
    """One cell from the matched scores themselves (a student's pre and post at the same index)."""
    pre, post = _array(pre), _array(post)
    if pre.shape != post.shape:
        raise ValueError("pre and post must be matched: one of each per student")
    change = post - pre
    return paired_effects(
        n=[pre.size],
        sum_pre=[pre.sum()],
        sum_post=[post.sum()],
        sum_change=[change.sum()],
        sum_change_squared=[(change**2).sum()],
    )


@dataclass(frozen=True)
class IndependentEffects:
    n_a: np.ndarray
    n_b: np.ndarray
    mean_a: np.ndarray
    mean_b: np.ndarray
    difference: np.ndarray  # mean b - mean a
    t: np.ndarray
    df: np.ndarray  # Welch-Satterthwaite, fractional
    p: np.ndarray
    difference_low: np.ndarray
    difference_high: np.ndarray
    g_s: np.ndarray
    g_s_low: np.ndarray
    g_s_high: np.ndarray
    improvement_index: np.ndarray


def independent_effects(*, n_a, sum_a, sum_a_squared, n_b, sum_b, sum_b_squared) -> IndependentEffects:
    """Every cell's comparison of two independent groups (a = pre, b = post): Welch's t and Hedges' g_s."""
    n_a, n_b = _array(n_a), _array(n_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_a = np.where(n_a > 0, _array(sum_a) / n_a, np.nan)
        mean_b = np.where(n_b > 0, _array(sum_b) / n_b, np.nan)
        var_a = np.where(n_a > 1, np.maximum((_array(sum_a_squared) - n_a * mean_a**2) / (n_a - 1), 0.0), np.nan)
        var_b = np.where(n_b > 1, np.maximum((_array(sum_b_squared) - n_b * mean_b**2) / (n_b - 1), 0.0), np.nan)
        difference = mean_b - mean_a
        va, vb = var_a / n_a, var_b / n_b
        se = np.sqrt(va + vb)
        t = difference / se
        df = (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1))
        p = np.where(np.isnan(t), np.nan, 2 * stats.t.sf(np.abs(t), df))
        margin = stats.t.ppf(1 - _TAIL, df) * se
        pooled_df = n_a + n_b - 2
        pooled_sd = np.sqrt(((n_a - 1) * var_a + (n_b - 1) * var_b) / pooled_df)
        d_s = difference / pooled_sd
        scale = np.sqrt(1 / n_a + 1 / n_b)
        lam_low, lam_high = _noncentrality_bounds(d_s / scale, np.where(pooled_df > 0, pooled_df, np.nan))
        j = hedges_j(pooled_df)
    g_s = j * d_s
    return IndependentEffects(
        n_a=n_a,
        n_b=n_b,
        mean_a=mean_a,
        mean_b=mean_b,
        difference=difference,
        t=t,
        df=df,
        p=p,
        difference_low=difference - margin,
        difference_high=difference + margin,
        g_s=g_s,
        g_s_low=j * lam_low * scale,
        g_s_high=j * lam_high * scale,
        improvement_index=improvement_index(g_s),
    )


def independent_effect(a, b) -> IndependentEffects:
    a, b = _array(a), _array(b)
    return independent_effects(
        n_a=[a.size],
        sum_a=[a.sum()],
        sum_a_squared=[(a**2).sum()],
        n_b=[b.size],
        sum_b=[b.sum()],
        sum_b_squared=[(b**2).sum()],
    )


def improvement_index(g) -> np.ndarray:
    """The What Works Clearinghouse improvement index: 100 * Phi(g) - 50 (U3 of g, minus 50)."""
    return 100 * stats.norm.cdf(_array(g)) - 50


WWC_ATTRITION_FINE = 0.05  # |d| up to this: the groups start alike
WWC_ATTRITION_ADJUST = 0.25  # up to this: comparable only with statistical adjustment; above: a warning


def standardised_difference(*, n_a, sum_a, sum_a_squared, n_b, sum_b, sum_b_squared) -> np.ndarray:
    """Every cell's (mean a - mean b) / pooled SD from each group's n, sum and sum of squares.

    A group of one has no spread of its own but adds its zero sum of squares to the pool (as scipy's pooled
    t does); with fewer than two students in all, either group empty, or no spread at all, the difference is NaN.
    """
    n_a, n_b = _array(n_a), _array(n_b)
    sum_a, sum_b = _array(sum_a), _array(sum_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        ss_a = np.maximum(_array(sum_a_squared) - sum_a**2 / n_a, 0.0)
        ss_b = np.maximum(_array(sum_b_squared) - sum_b**2 / n_b, 0.0)
        df = n_a + n_b - 2
        pooled_sd = np.sqrt((ss_a + ss_b) / df)
        d = (sum_a / n_a - sum_b / n_b) / pooled_sd
    return np.where((n_a > 0) & (n_b > 0) & (df > 0) & (pooled_sd > 0), d, np.nan)
