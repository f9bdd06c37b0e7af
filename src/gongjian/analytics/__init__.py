"""Decisions built on the standards, still pure: no Django, no I/O, no clock.

Target progress, rankings, emergency reduction accounting, compliance checks,
plan-text parsing and the like live here as functions over plain values and Polars frames.
"""
