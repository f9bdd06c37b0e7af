"""Run every benchmark in turn."""

import importlib
import sys

BENCHMARKS = ["bench.aqi_national", "bench.air_pages", "bench.optimiser", "bench.gateway"]

if __name__ == "__main__":
    for name in sys.argv[1:] or BENCHMARKS:
        print(f"\n=== {name}")
        importlib.import_module(name).main()
