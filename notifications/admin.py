from django.contrib import admin

from accounts.operators import OperatorOnlyAdmin, ReadOnlyOperatorAdmin

from .models import DeliveryLog, EmailPreference, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyOperatorAdmin, admin.ModelAdmin):
    """Notices can say a child has a Get help reply: operators only, and nobody edits them."""

    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]


@admin.register(DeliveryLog)
class DeliveryLogAdmin(ReadOnlyOperatorAdmin, admin.ModelAdmin):
    list_display = ["key", "channel", "recipient", "created_at"]
    list_filter = ["channel"]
    search_fields = ["key"]


@admin.register(EmailPreference)
class EmailPreferenceAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ["user", "weekly_digest", "due_reminders", "updated_at"]
    raw_id_fields = ["user"]
