"""Fixtures every water test module may ask for by name: the sections (tests/water/fixtures.py) and
the measured month of the page tests (tests/water/page_data.py)."""

from tests.water.fixtures import sections  # noqa: F401
from tests.water.page_data import measured  # noqa: F401
