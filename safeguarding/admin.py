from django.contrib import admin

from accounts.operators import OperatorOnlyAdmin, ReadOnlyOperatorAdmin

from .models import HelpContact, SafeguardingDesignation, SchoolBreakSetting


@admin.register(HelpContact)
class HelpContactAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "school", "phone", "order")
    list_filter = ("school",)


@admin.register(SafeguardingDesignation)
class SafeguardingDesignationAdmin(ReadOnlyOperatorAdmin, admin.ModelAdmin):
    """Read only: a designation is made or removed on the school's safeguarding page, which
    audits it and tells the team (services.designate / undesignate)."""

    list_display = ("staff", "school", "designated_by", "created")
    list_filter = ("school",)


@admin.register(SchoolBreakSetting)
class SchoolBreakSettingAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("school", "break_after_minutes")


# Reports, messages and notes are deliberately not registered: only designated staff read
# them, through safeguarding.views, with every view audited.
