from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.operators import OperatorOnlyAdmin

from . import services
from .models import Job


@admin.register(Job)
class JobAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    """Operators (superusers) see every background job; failed ones keep their error here,
    never swallowed. Closed to other staff whatever model permissions a group gives them: the
    errors may name people, and the "try again" action needs no more than the view right."""

    list_display = [
        "pk",
        "task_name",
        "status",
        "attempts",
        "dispatches",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "task_name"]
    search_fields = ["task_name", "dedupe_key", "last_error"]
    readonly_fields = [f.name for f in Job._meta.fields]
    actions = ["retry_jobs"]

    @admin.action(description=_("Try the selected jobs again"))
    def retry_jobs(self, request, queryset):
        queued = sum(services.retry(job) for job in queryset)
        skipped = len(queryset) - queued
        messages.success(
            request,
            ngettext("%(n)d failed job queued again.", "%(n)d failed jobs queued again.", queued) % {"n": queued},
        )
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(n)d job was not failed and was left as it is.",
                    "%(n)d jobs were not failed and were left as they are.",
                    skipped,
                )
                % {"n": skipped},
            )

    def has_add_permission(self, request):
        return False
