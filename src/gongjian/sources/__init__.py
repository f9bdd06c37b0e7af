"""Pollution sources: enterprises and their lines and emission units, construction sites, the emission
inventory, and the daily emissions that online monitoring or enterprises report."""
