import pytest

from config.celery import ping
from tests.worker import celery_worker_process  # noqa: F401 - fixture

pytestmark = pytest.mark.worker


def test_a_real_worker_runs_a_task_sent_through_the_broker(celery_worker_process):  # noqa: F811
    worker = celery_worker_process()
    result = ping.delay()
    out = worker.wait_for(f"Task netwise.ping[{result.id}] succeeded", timeout=30)
    assert "'pong'" in out
