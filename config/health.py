"""/healthz: is the database reachable, is the broker reachable? 200 if both, 503 if not."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


@never_cache
def healthz(request):
    checks = {"database": database_ok(), "broker": broker_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{k: "ok" if v else "down" for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
