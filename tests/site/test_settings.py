"""Production settings pass Django's deployment checklist; passwords are hashed with argon2."""

import os
import subprocess
import sys

from gongjian.site import settings as base


def test_check_deploy_is_clean(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongjian.site.settings_production",
           "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-" + "y" * 20,
           "GONGJIAN_HOME": str(tmp_path), "ALLOWED_HOSTS": "gongjian.example.gov.cn"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only, never in deployment
    result = subprocess.run([sys.executable, "-m", "gongjian.cli", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongjian.site.settings_production", "GONGJIAN_HOME": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "gongjian.cli", "check"], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_passwords_are_hashed_with_argon2():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_refuses_a_recorded_demo_clock(tmp_path):
    """A site that began as the demo must not run in production at the demo's 2020 moment, where every
    feed would be judged fresh or stale against 2020 (issue 14): it refuses to start, naming the fix."""
    (tmp_path / "demo-as-of").write_text("2020-12-31T23:30+08:00\n", encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongjian.site.settings_production", "GONGJIAN_HOME": str(tmp_path),
           "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-" + "y" * 20}
    env.pop("GONGJIAN_AS_OF", None)
    result = subprocess.run([sys.executable, "-m", "gongjian.cli", "check"], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and "gongjian demo --clock off" in result.stderr


def test_a_malformed_recorded_clock_stops_the_process_with_its_name(tmp_path):
    from gongjian import clock

    (tmp_path / "demo-as-of").write_text("yesterday\n", encoding="utf-8")
    try:
        clock.configured_as_of(None, tmp_path / "demo-as-of")
    except ValueError as exc:
        assert "demo-as-of" in str(exc) and "yesterday" in str(exc)
    else:
        raise AssertionError("a malformed clock file was accepted")
