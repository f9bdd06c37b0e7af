"""Benchmarks: each prints its throughput and the ratio against a baseline run in the same process.

Run all with ``make bench`` (``python -m bench``), or one with ``python -m bench.aqi_national``.
"""
