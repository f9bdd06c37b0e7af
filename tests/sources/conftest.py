from tests.sources.fixtures import plants  # noqa: F401  (fixture)
