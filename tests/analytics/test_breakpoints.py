"""Break points as strucchange computes them: against its published Nile example, and on
constructed series whose steps are known."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from gongjian.analytics.breakpoints import find, pargmax_v

#: Annual flow of the Nile at Aswan, 1871-1970 (R's datasets::Nile).
NILE = [1120, 1160, 963, 1210, 1160, 1160, 813, 1230, 1370, 1140, 995, 935, 1110, 994, 1020, 960, 1180, 799, 958,
        1140, 1100, 1210, 1150, 1250, 1260, 1220, 1030, 1100, 774, 840, 874, 694, 940, 833, 701, 916, 692, 1020,
        1050, 969, 831, 726, 456, 824, 702, 1120, 1100, 832, 764, 821, 768, 845, 864, 862, 698, 845, 744, 796,
        1040, 759, 781, 865, 845, 944, 984, 897, 822, 1010, 771, 676, 649, 846, 812, 742, 801, 1040, 860, 874,
        848, 890, 744, 749, 838, 1050, 918, 986, 797, 923, 975, 815, 1020, 906, 901, 1170, 912, 746, 919, 718,
        714, 740]


def test_nile_as_strucchange_reports_it():
    """Zeileis et al. (2003, Comput. Stat. Data Anal. 44:109-123) and strucchange's example:
    ``breakpoints(Nile ~ 1)`` chooses one break by BIC, in 1898 (observation 28), and
    ``confint`` gives 1895-1902."""
    result = find(pl.DataFrame({"date": list(range(1871, 1971)), "normalised": NILE}))
    assert result.h == 15 and len(result.bic) == 6  # floor(0.15 n), ceil(n/h) - 2 = 5 breaks at most
    assert [b.date for b in result.breaks] == [1898]
    step = result.breaks[0]
    assert (step.index + 1, step.lower, step.upper) == (28, 1895, 1902)
    assert step.before == pytest.approx(sum(NILE[:28]) / 28) and step.after == pytest.approx(sum(NILE[28:]) / 72)
    # RSS and BIC recomputed here from the segment means
    rss1 = sum((v - step.before) ** 2 for v in NILE[:28]) + sum((v - step.after) ** 2 for v in NILE[28:])
    assert result.rss[1] == pytest.approx(rss1)
    mean = sum(NILE) / 100
    rss0 = sum((v - mean) ** 2 for v in NILE)

    def bic(rss, m):
        return 100 * (np.log(rss) + 1 - np.log(100) + np.log(2 * np.pi)) + np.log(100) * 2 * (m + 1)

    assert result.bic[0] == pytest.approx(bic(rss0, 0)) and result.bic[1] == pytest.approx(bic(rss1, 1))
    assert result.bic[1] == min(result.bic)


def test_the_dynamic_programme_finds_the_best_partition():
    """Two breaks on a short series: the least RSS over every admissible pair, by brute force."""
    rng = np.random.default_rng(4)
    y = np.concatenate([rng.normal(0, 1, 12), rng.normal(4, 1, 9), rng.normal(-2, 1, 14)])
    result = find(pl.DataFrame({"date": range(len(y)), "normalised": y}), h=5, max_breaks=2)

    def rss(parts):
        return sum(((p - p.mean()) ** 2).sum() for p in parts)

    best = min(rss([y[:a + 1], y[a + 1:b + 1], y[b + 1:]]) for a in range(4, len(y)) for b in range(a + 5, len(y) - 5))
    assert result.rss[2] == pytest.approx(best)
    assert [b.index for b in result.breaks] == [11, 20]


def test_pargmax_v_is_a_distribution():
    """Symmetric case: P(argmax V <= 0) = 1/2, increasing, tending to 0 and 1; 97.5 % quantile of
    argmax (W(s) - |s|/2) is 11.03 (Bai 1997, Table 1 / Yao 1987)."""
    assert pargmax_v(0.0) == pytest.approx(0.5)
    values = [pargmax_v(x) for x in (-40, -10, -1, 0, 1, 10, 40)]
    assert values == sorted(values) and values[0] < 0.01 and values[-1] > 0.99
    assert pargmax_v(11.03) == pytest.approx(0.975, abs=0.001)
    assert pargmax_v(-11.03) == pytest.approx(0.025, abs=0.001)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_known_step_is_recovered_within_its_intervals(seed):
    rng = np.random.default_rng(seed)
    days = pl.date_range(dt.date(2020, 1, 1), dt.date(2021, 12, 31), eager=True)
    last_before = 400
    y = 60 + rng.normal(0, 6, len(days))
    y[last_before + 1:] -= 10
    result = find(pl.DataFrame({"date": days, "normalised": y}))
    assert len(result.breaks) == 1
    step = result.breaks[0]
    assert step.lower_index <= last_before <= step.upper_index
    assert step.lower <= days[last_before] <= step.upper
    assert step.size_lower <= -10 <= step.size_upper


def test_no_step_no_break():
    rng = np.random.default_rng(9)
    result = find(pl.DataFrame({"date": range(500), "normalised": rng.normal(50, 5, 500)}))
    assert result.breaks == ()


def test_autocorrelation_widens_the_interval():
    rng = np.random.default_rng(5)
    noise = np.zeros(600)
    for i in range(1, 600):
        noise[i] = 0.7 * noise[i - 1] + rng.normal(0, 3)
    y = 50 + noise
    y[300:] -= 8
    frame = pl.DataFrame({"date": range(600), "normalised": y})
    iid, hac = find(frame, max_breaks=1).breaks[0], find(frame, max_breaks=1, hac=True).breaks[0]
    assert hac.upper_index - hac.lower_index > iid.upper_index - iid.lower_index
    assert hac.size_upper - hac.size_lower > iid.size_upper - iid.size_lower


@pytest.mark.parametrize("kwargs, message", [
    ({"h": 1}, "greater than 1"), ({"h": 60}, "at most half"), ({"level": 1.5}, "level"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        find(pl.DataFrame({"date": range(100), "normalised": [1.0] * 100}), **kwargs)
