"""Small statistics shared by the benchmarks."""

import math
import statistics


def percentile(samples, percent: float) -> float:
    """Return the nearest-rank percentile of the samples."""
    ordered = sorted(samples)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(len(ordered) * percent / 100) - 1)]


def median(samples) -> float:
    return statistics.median(samples) if samples else math.nan
