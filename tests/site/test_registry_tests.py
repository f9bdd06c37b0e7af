"""Every registry declaration has its generic tests (tests/registry_cases.py): a new registry
without a ``RegistryTests`` subclass in its app's ``tests/<app>/test_registries.py`` fails here."""

import importlib
from pathlib import Path

from gongjian.core.registry import REGISTRY
from tests.registry_cases import RegistryTests

TESTS = Path(__file__).resolve().parent.parent


def test_every_registry_has_its_generic_tests():
    for module in sorted(TESTS.glob("*/test_registries.py")):
        importlib.import_module(f"tests.{module.parent.name}.test_registries")
    covered = {cls.model for cls in RegistryTests.__subclasses__()}
    missing = sorted(m.__name__ for m in REGISTRY if m not in covered)
    assert not missing, f"registries without generic tests (tests/<app>/test_registries.py): {missing}"
