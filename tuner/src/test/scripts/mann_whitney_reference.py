#!/usr/bin/python3
"""Reference figures for tuner's rank test and interval, from scipy (Debian's python3-scipy).

Reads a JSON list of cases {"before": [...], "after": [...], "confidence": 0.95} on stdin and
prints a JSON list of {"p", "p_method", "ratio", "ci_low", "ci_high"}, one per case.

p-value, two-sided, of before against after:
  - fewer than 50 a side, no ties: scipy.stats.mannwhitneyu(method="exact");
  - fewer than 50 a side, ties:    scipy.stats.permutation_test over every split of the pooled
                                   figures (n_resamples=inf) with the U statistic, midranks for ties;
  - otherwise:                     scipy.stats.mannwhitneyu(method="asymptotic", use_continuity=True).
Interval of after/before: the Hodges-Lehmann estimate and the interval R's wilcox.test(conf.int=TRUE)
reports, on the logarithms: the k-th smallest and k-th largest of the m*n pairwise differences
log(after_j) - log(before_i).
  - fewer than 50 a side: k = qwilcox(alpha/2, m, n), at least 1, with the distribution of U without
    ties read from scipy's exact mannwhitneyu (P(U <= q) is its one-sided p-value for data whose U is q);
  - otherwise: k = ceil(m*n/2 - 0.5 - z * sigma), sigma the tie-corrected standard deviation of U.
"""
import json
import math
import sys

import numpy as np
from scipy import stats

EXACT_LIMIT = 50


def u_statistic(x, y, axis=-1):
    """U of x against y, ties counting one half, vectorised over leading axes."""
    x = np.moveaxis(np.asarray(x), axis, -1)
    y = np.moveaxis(np.asarray(y), axis, -1)
    greater = (x[..., :, None] > y[..., None, :]).sum(axis=(-1, -2))
    equal = (x[..., :, None] == y[..., None, :]).sum(axis=(-1, -2))
    return greater + 0.5 * equal


def p_value(before, after):
    m, n = len(before), len(after)
    pooled = np.concatenate([before, after])
    ties = len(np.unique(pooled)) < len(pooled)
    if m < EXACT_LIMIT and n < EXACT_LIMIT:
        if not ties:
            return stats.mannwhitneyu(before, after, method="exact").pvalue, "exact"
        res = stats.permutation_test((before, after), u_statistic, permutation_type="independent",
                                     vectorized=True, n_resamples=np.inf, alternative="two-sided")
        return float(res.pvalue), "permutation"
    return stats.mannwhitneyu(before, after, method="asymptotic", use_continuity=True).pvalue, "asymptotic"


def u_cdf_without_ties(q, m, n):
    """P(U <= q) for m against n distinct values: scipy's exact one-sided p for data whose U is q."""
    counts = []
    left = q
    for _ in range(m):  # how many y values lie below each x value, largest last
        c = min(n, left)
        counts.append(c)
        left -= c
    counts.sort()
    y = np.arange(1, n + 1, dtype=float)
    x = np.array([c + 0.5 + 1e-3 * i for i, c in enumerate(counts)])
    assert u_statistic(x, y) == q
    return stats.mannwhitneyu(x, y, alternative="less", method="exact").pvalue


def interval(before, after, confidence):
    m, n = len(before), len(after)
    d = np.sort((np.log(after)[:, None] - np.log(before)[None, :]).ravel())
    alpha = 1 - confidence
    if m < EXACT_LIMIT and n < EXACT_LIMIT:
        k = 0
        while k < m * n and u_cdf_without_ties(k, m, n) < alpha / 2:
            k += 1
        k = max(k, 1)
    else:
        pooled = np.concatenate([before, after])
        _, t = np.unique(pooled, return_counts=True)
        total = m + n
        sigma = math.sqrt(m * n / 12 * ((total + 1) - (t ** 3 - t).sum() / (total * (total - 1))))
        z = stats.norm.ppf(1 - alpha / 2)
        k = max(1, math.ceil(m * n / 2 - 0.5 - z * sigma))
    k = min(k, (m * n + 1) // 2)
    return math.exp(np.median(d)), math.exp(d[k - 1]), math.exp(d[m * n - k])


def main():
    out = []
    for case in json.load(sys.stdin):
        before = np.array(case["before"], dtype=float)
        after = np.array(case["after"], dtype=float)
        p, method = p_value(before, after)
        ratio, low, high = interval(before, after, case["confidence"])
        out.append({"p": float(p), "p_method": method, "ratio": ratio, "ci_low": low, "ci_high": high})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
