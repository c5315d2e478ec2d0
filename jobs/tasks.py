from celery import shared_task

from . import handoff, services


@shared_task(name="jobs.dispatch_pending", ignore_result=True)
def dispatch_pending():
    """Beat, every minute: publish queued jobs and re-publish those a dead worker dropped."""
    return services.dispatch_pending()


@shared_task(name="jobs.drain_handoff", ignore_result=True)
def drain_handoff(task_name):
    """Run what requests handed off for `task_name` since the last drain (jobs.handoff)."""
    return handoff.drain(task_name)
