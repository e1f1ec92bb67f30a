#!/usr/bin/env python3
"""Paired statistics computed with SciPy, as an independent check of tuner's own.

Reads {"cases": [{"d": [...], "alphas": [...]}]} on stdin; writes one JSON object per case:
  p_exact    scipy.stats.wilcoxon(d, method="exact") two-sided p (null when d has zeros or tied magnitudes,
             which the exact method does not take)
  p_flips    the signed-rank test's p by enumerating all 2^n sign flips of the mean ranks
             (scipy.stats.rankdata), zeros dropped: exact with ties too
  hl         the median of the Walsh averages (numpy)
  widest     per alpha, whether any interval exists at all: the widest, [min, max], misses the centre
             when every difference falls on one side, which scipy.stats.binomtest(0, n) gives the
             two-sided probability of
  intervals  per alpha, [low, high]: the shifts whose exact wilcoxon test does not reject at alpha, found
             by testing just above and below each Walsh average; null when that set is unbounded (too few
             pairs for the test ever to reject) or d has zeros or ties
"""
import json
import sys

import numpy as np
from scipy import stats


def walsh(d):
    n = len(d)
    return np.sort(np.array([(d[i] + d[j]) / 2 for i in range(n) for j in range(i, n)]))


def p_flips(d):
    d = np.array([x for x in d if x != 0.0])
    n = len(d)
    if n == 0:
        return 1.0
    ranks = stats.rankdata(np.abs(d))
    observed = ranks[d > 0].sum()
    signs = (np.arange(2 ** n)[:, None] >> np.arange(n)) & 1
    sums = signs @ ranks
    lower = np.mean(sums <= observed + 1e-9)
    upper = np.mean(sums >= observed - 1e-9)
    return min(1.0, 2 * min(lower, upper))


def exact_p(x):
    return stats.wilcoxon(x, method="exact").pvalue


def intervals(d, alphas):
    """Per alpha, [low, high] of the shifts the exact test does not reject; null when that set is unbounded."""
    w = walsh(d)
    eps = 1e-9 * max(1.0, float(np.max(np.abs(w))))
    x = np.array(d)
    above = [exact_p(x - (v + eps)) for v in w]
    below = [exact_p(x - (v - eps)) for v in w]
    out = []
    for alpha in alphas:
        if below[0] > alpha or above[-1] > alpha:
            out.append(None)  # even beyond every Walsh average the test does not reject
            continue
        low = min(v for v, p in zip(w, above) if p > alpha)
        high = max(v for v, p in zip(w, below) if p > alpha)
        out.append([float(low), float(high)])
    return out


def main():
    cases = json.load(sys.stdin)["cases"]
    out = []
    for c in cases:
        d = c["d"]
        a = np.abs(np.array(d))
        untied = all(x != 0 for x in d) and len(set(a.tolist())) == len(d)
        out.append({
            "p_exact": float(exact_p(np.array(d))) if untied else None,
            "p_flips": float(p_flips(d)) if len(d) <= 16 else None,
            "hl": float(np.median(walsh(d))),
            "widest": [bool(stats.binomtest(0, len(d), 0.5).pvalue <= alpha + 1e-12) for alpha in c["alphas"]],
            "intervals": intervals(d, c["alphas"]) if untied else [None] * len(c["alphas"]),
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
