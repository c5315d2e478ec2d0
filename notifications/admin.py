from django.contrib import admin

from .models import DeliveryLog, EmailPreference, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]


@admin.register(DeliveryLog)
class DeliveryLogAdmin(admin.ModelAdmin):
    list_display = ["key", "channel", "recipient", "created_at"]
    list_filter = ["channel"]
    search_fields = ["key"]


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "weekly_digest", "due_reminders", "updated_at"]
    raw_id_fields = ["user"]
