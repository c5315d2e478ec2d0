from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User
from .operators import OperatorOnlyAdmin


@admin.register(User)
class NetWiseUserAdmin(OperatorOnlyAdmin, UserAdmin):
    list_display = ("username", "display_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "display_name", "email")
    fieldsets = UserAdmin.fieldsets + (
        (
            "NetWise",
            {"fields": ("role", "display_name", "language", "must_change_password")},
        ),
    )
