"""National standards as pure, vectorised functions (HJ 633, HJ 663 / GB 3095, HJ 212, GB 3838, ...).

No Django, no I/O, no clock. Each function cites the clause it implements; the tables
behind them are versioned data, chosen by edition.
"""
