"""Reading stored time series into Polars in bulk.

The ORM converts every value of every row in Python (a year of one station is 8,784 rows with 13
columns); pages need that in milliseconds. :func:`frame_from_values` runs the ORM's own SQL for the
queryset through the database cursor and lets Polars convert the columns. On SQLite, datetimes and
dates are selected as text (``CAST``) so that the driver does not parse them row by row, and Polars
parses them vectorised; PostgreSQL's driver returns them natively. The queryset still comes from the
one policy, so scoping is unchanged.
"""

from __future__ import annotations

import polars as pl
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

__all__ = ["frame_from_values"]


def frame_from_values(queryset, columns: dict[str, tuple[str, pl.DataType]]) -> pl.DataFrame:
    """``columns``: output name -> (ORM lookup, Polars type). Datetimes come back timezone-aware UTC."""
    sqlite = connection.vendor == "sqlite"
    temporal = {n for n, (_, t) in columns.items() if t == pl.Date or isinstance(t, pl.Datetime)}
    lookups = []
    if sqlite and temporal:
        queryset = queryset.annotate(**{f"_text_{n}": Cast(columns[n][0], TextField()) for n in temporal})
    for name, (lookup, _) in columns.items():
        lookups.append(f"_text_{name}" if sqlite and name in temporal else lookup)
    sql, params = queryset.values_list(*lookups).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    schema = {n: (pl.String if sqlite and n in temporal else
                  pl.Datetime("us", "UTC") if isinstance(t, pl.Datetime) else t) for n, (_, t) in columns.items()}
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    if sqlite and temporal:
        frame = frame.with_columns(
            pl.col(n).str.to_date("%Y-%m-%d") if columns[n][1] == pl.Date else
            pl.col(n).str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us").dt.replace_time_zone("UTC")
            for n in temporal)
    return frame
