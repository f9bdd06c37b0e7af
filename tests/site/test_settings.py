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
