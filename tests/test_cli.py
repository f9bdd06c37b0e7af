"""The `gongjian` command: imports report every problem by row and column and save nothing."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from gongjian.cli import main
from gongjian.regions.models import Region


def test_import_regions_from_the_command_line(world, tmp_path, capsys):
    good = tmp_path / "r.csv"
    good.write_text("code,name,level,kind,parent_code\n410183,新密市,county,county_city,410100\n", encoding="utf-8")
    call_command("importdata", "regions", str(good))
    assert "1 regions added" in capsys.readouterr().out
    assert Region.objects.filter(code="410183").exists()


def test_bad_file_lists_problems_and_fails(world, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,kind,parent_code\n410122,重复,county,county,410100\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("importdata", "regions", str(bad))
    assert "bad.csv, row 2, column code: Division code 410122 is already used." in capsys.readouterr().err


def test_missing_file(world):
    with pytest.raises(CommandError, match="no such file"):
        call_command("importdata", "boundaries", "/nonexistent.geojson")


def test_as_of_option_sets_the_clock(monkeypatch):
    seen = {}
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: seen.update(argv=argv))
    monkeypatch.delenv("GONGJIAN_AS_OF", raising=False)
    main(["--as-of", "2020-12-15", "import", "regions", "x.csv"])
    assert os.environ.pop("GONGJIAN_AS_OF") == "2020-12-15"
    assert seen["argv"] == ["gongjian", "importdata", "regions", "x.csv"]


def test_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "gongjian.cli", "help"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "gongjian.site.settings_test"})
    assert result.returncode == 0 and "setup" in result.stdout and "demo" in result.stdout
