"""config/wsgi.py: what the web process does once, before its first request."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, sys
import config.wsgi
print(gc.get_freeze_count() > 100_000, "kombu.transport.redis" in sys.modules, gc.isenabled(), gc.get_threshold()[2])
"""


def test_the_web_process_freezes_its_start_up_objects_and_imports_the_broker_transport():
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",  # named, never connected to
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # Frozen start-up objects, the transport imported, collection still on for the rest, and
    # full collections held back as config/runtime.py says.
    assert result.stdout.split() == ["True", "True", "True", "100"]
