"""Production settings: clean `check --deploy` with the environment set, one clear line without."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7Hq2mZp9LwR4tYv8NcB3kJd6FgS1aQe5UiO0PlKjHgFdSaZxCvBnM",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/netwise",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "netwise.example.org",
}


def run_manage(*args, env):
    base = {k: v for k, v in os.environ.items() if k not in GOOD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=GOOD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_variable_stops_with_one_line_naming_it():
    env = {k: v for k, v in GOOD_ENV.items() if k != "DATABASE_URL"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _database_options(**extra):
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"
    return run_manage("shell", "-c", code, env={**GOOD_ENV, **extra})


def test_the_submit_statements_are_prepared_by_default_and_can_be_switched_off_for_a_pooler():
    assert "'prepare_threshold': 0" in _database_options().stdout
    assert "'prepare_threshold': None" in _database_options(DATABASE_PREPARE_THRESHOLD="off").stdout
    assert "'prepare_threshold': 2" in _database_options(DATABASE_PREPARE_THRESHOLD="2").stdout
    bad = _database_options(DATABASE_PREPARE_THRESHOLD="sometimes")
    assert bad.returncode != 0 and "DATABASE_PREPARE_THRESHOLD" in bad.stderr


def test_a_web_process_started_without_a_settings_module_runs_production_settings():
    """gunicorn config.wsgi with DJANGO_SETTINGS_MODULE forgotten: production (which then asks
    for its variables), never the development settings with DEBUG on."""
    env = {k: v for k, v in GOOD_ENV.items() if k != "DJANGO_SETTINGS_MODULE"}
    base = {k: v for k, v in os.environ.items() if k not in GOOD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    code = "import config.wsgi; from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.production", "False"]
