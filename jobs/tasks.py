from celery import shared_task

from . import services


@shared_task(name="jobs.dispatch_pending", ignore_result=True)
def dispatch_pending():
    """Beat, every minute: publish queued jobs and re-publish those a dead worker dropped."""
    return services.dispatch_pending()
