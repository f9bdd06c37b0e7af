"""Meteorological normalisation per station-4-years: ours (LightGBM, shared weather draws) against
the direct rmweather-style random forest, side by side in one process.

Data: the Beijing multi-site files (../shared/data/beijing-multisite), PM2.5, one station = 35,064
hours. Both models see the same explanatory variables (rmweather's date_unix, day_julian, weekday,
hour + temperature, humidity from the dew point, wind speed and direction, pressure, rain) and the
same random 80/20 training/testing split; R² is out of sample, on the testing set.

* forest: scikit-learn ``RandomForestRegressor`` as rmweather's ``rmw_train_model`` calls ranger --
  300 trees, mtry = floor(sqrt(p)), min node size 5 (``min_samples_split=5``), missing predictors
  imputed with the median (``rmw_prepare_data``); then ``rmw_normalise``: 300 rounds, each resampling
  every non-trend variable over all rows and predicting every row (N x 300 predictions);
* ours: :func:`gongjian.analytics.normalise.fit` and :func:`~gongjian.analytics.normalise.normalise`
  with 300 draws, the hourly series.

With ``--accuracy`` the first station's normalised series is also compared with the exact
expectation (every row's weather, at 40 times spread over the period) for ours and for the direct
formulation run on our model (``--direct-samples`` rounds).

Goals (issue 18): R² at least the forest's, at least 20x faster, under 10 s per station-4-years.

    python -m bench.normalise [--stations 3] [--forest-samples 300] [--accuracy] [--direct-samples 30]
"""

from __future__ import annotations

import argparse
import math
import os
import time
from pathlib import Path

# OpenMP threads that sleep instead of spinning while they wait: on a shared machine spinning
# burns the other processes' CPU and inflates this process's CPU time. Set before lightgbm loads.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

from gongjian.air.beijing_io import read_beijing  # noqa: E402
from gongjian.analytics import normalise as nm  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "beijing-multisite"
POLLUTANT = "pm25"


def _station(path: Path) -> pl.DataFrame:
    return read_beijing([path]).sort("time")


def _split(frame: pl.DataFrame, seed: int) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    """The rows ``fit`` trains and tests on, and its split (the same permutation)."""
    rows = frame.filter(pl.col(POLLUTANT).is_not_null() & pl.col(POLLUTANT).is_not_nan())
    order = np.random.default_rng(seed).permutation(rows.height)
    n_train = int(round(0.8 * rows.height))
    return rows, np.sort(order[:n_train]), np.sort(order[n_train:])


def forest(frame: pl.DataFrame, samples: int, seed: int) -> dict:
    from sklearn.ensemble import RandomForestRegressor

    features = (*nm.TIME_FEATURES, *nm.WEATHER)
    start, cpu = time.perf_counter(), time.process_time()
    rows, train, test = _split(frame, seed)
    x = nm._design(rows, features)
    median = np.nanmedian(x, axis=0)
    x = np.where(np.isnan(x), median, x)
    y = rows[POLLUTANT].to_numpy()
    model = RandomForestRegressor(n_estimators=300, max_features=int(math.sqrt(len(features))), min_samples_split=5,
                                  n_jobs=-1, random_state=seed).fit(x[train], y[train])
    fitted, fitted_cpu = time.perf_counter() - start, time.process_time() - cpu
    residual = y[test] - model.predict(x[test])
    r2 = 1 - float((residual ** 2).sum()) / float(((y[test] - y[test].mean()) ** 2).sum())
    everything = nm._design(frame, features)
    everything = np.where(np.isnan(everything), median, everything)
    rng = np.random.default_rng(seed)
    total = np.zeros(len(everything))
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(samples):
        draws = everything[rng.integers(0, len(everything), size=len(everything))]
        draws[:, 0] = everything[:, 0]  # the trend stays
        total += model.predict(draws)
    scale = 300 / samples  # to rmweather's 300 rounds
    return {"r2": r2, "fit": fitted, "normalise": (time.perf_counter() - start) * scale,
            "cpu": fitted_cpu + (time.process_time() - cpu) * scale}


def ours(frame: pl.DataFrame, seed: int) -> tuple[dict, nm.Model, pl.DataFrame]:
    start, cpu = time.perf_counter(), time.process_time()
    model = nm.fit(frame, POLLUTANT, seed=seed)
    fitted = time.perf_counter() - start
    start = time.perf_counter()
    series = nm.normalise(model, frame, samples=300, seed=seed)
    return {"r2": model.r2, "fit": fitted, "normalise": time.perf_counter() - start,
            "cpu": time.process_time() - cpu}, model, series


def accuracy(model: nm.Model, frame: pl.DataFrame, series: pl.DataFrame, direct_samples: int) -> None:
    at = frame["time"].gather(np.linspace(0, frame.height - 1, 40).astype(int))
    start = time.perf_counter()
    exact = nm.expectation(model, frame, at)
    exact_seconds = time.perf_counter() - start
    start = time.perf_counter()
    direct = nm.normalise_direct(model, frame, samples=direct_samples)
    direct_seconds = time.perf_counter() - start
    picked = lambda s: s.filter(pl.col("time").is_in(at.implode()))["normalised"].to_numpy()  # noqa: E731
    truth = exact["normalised"].to_numpy()
    for name, values in (("ours, 300 shared stratified draws", picked(series)),
                         (f"direct (rmweather), {direct_samples} rounds", picked(direct))):
        error = values - truth
        print(f"  {name}: rms error {np.sqrt(np.mean(error ** 2)):.2f} µg/m3 vs the exact expectation "
              f"(mean {truth.mean():.1f}), of which the common offset {error.mean():+.2f} and the rest "
              f"{error.std():.2f}")
    if direct_samples < 300:
        print(f"  (direct at 300 rounds: rms about {np.sqrt(np.mean((picked(direct) - truth) ** 2)) * math.sqrt(direct_samples / 300):.2f}, "
              f"by 1/sqrt(rounds); {direct_seconds * 300 / direct_samples:.0f} s; the exact mean at 40 times: "
              f"{exact_seconds:.1f} s)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=3, help="how many of the 12 stations (alphabetical)")
    parser.add_argument("--forest-samples", type=int, default=300,
                        help="forest normalisation rounds measured (the time is scaled to 300)")
    parser.add_argument("--accuracy", action="store_true", help="also measure the error against the exact expectation")
    parser.add_argument("--direct-samples", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"skipped: needs {SHARED} (the Beijing multi-site data)")
        return
    paths = sorted(SHARED.glob("*.csv"))[: args.stations]
    print(f"{len(paths)} station(s), PM2.5, 300 trees / 300 weather draws; {os.cpu_count()} CPU(s), "
          f"load average {os.getloadavg()[0]:.1f} at the start")
    header = (f"{'station':<14}{'hours':>7}{'R² forest':>11}{'R² ours':>9}{'forest fit':>12}{'forest norm':>13}"
              f"{'forest s':>10}{'ours fit':>10}{'ours norm':>11}{'ours s':>8}{'ratio':>7}{'CPU s forest/ours':>19}{'ratio':>7}")
    print(header)
    rows = []
    for i, path in enumerate(paths):
        frame = _station(path)
        name = frame["station"][0]
        mine, model, series = ours(frame, args.seed)
        theirs = forest(frame, args.forest_samples, args.seed)
        total_ours, total_forest = mine["fit"] + mine["normalise"], theirs["fit"] + theirs["normalise"]
        rows.append((mine["r2"], theirs["r2"], total_ours, total_forest, theirs["cpu"] / mine["cpu"]))
        print(f"{name:<14}{frame.height:>7}{theirs['r2']:>11.3f}{mine['r2']:>9.3f}{theirs['fit']:>12.1f}"
              f"{theirs['normalise']:>13.1f}{total_forest:>10.1f}{mine['fit']:>10.1f}{mine['normalise']:>11.1f}"
              f"{total_ours:>8.1f}{total_forest / total_ours:>7.0f}x{theirs['cpu']:>11.1f} /{mine['cpu']:>6.1f}"
              f"{theirs['cpu'] / mine['cpu']:>7.0f}x", flush=True)
        if args.accuracy and i == 0:
            accuracy(model, frame, series, args.direct_samples)
    better = sum(o >= f for o, f, *_ in rows)
    ratios = [f / o for _, _, o, f, _ in rows]
    cpu_ratios = [c for *_, c in rows]
    print(f"R² at least the forest's: {better}/{len(rows)} stations; speed ratio {min(ratios):.0f}x..{max(ratios):.0f}x "
          f"wall-clock, {min(cpu_ratios):.0f}x..{max(cpu_ratios):.0f}x CPU time [goal >= 20x]; "
          f"ours {max(r[2] for r in rows):.1f} s per station at most [goal < 10 s]; "
          f"load average {os.getloadavg()[0]:.1f} at the end"
          + ("" if args.forest_samples == 300 else f"; forest normalisation measured on {args.forest_samples} rounds, scaled to 300"))


if __name__ == "__main__":
    main()
