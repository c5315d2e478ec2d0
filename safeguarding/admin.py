from django.contrib import admin

from .models import HelpContact, SafeguardingDesignation, SchoolBreakSetting


@admin.register(HelpContact)
class HelpContactAdmin(admin.ModelAdmin):
    list_display = ("name", "school", "phone", "order")
    list_filter = ("school",)


@admin.register(SafeguardingDesignation)
class SafeguardingDesignationAdmin(admin.ModelAdmin):
    list_display = ("staff", "school", "designated_by", "created")
    list_filter = ("school",)


@admin.register(SchoolBreakSetting)
class SchoolBreakSettingAdmin(admin.ModelAdmin):
    list_display = ("school", "break_after_minutes")


# Reports, messages and notes are deliberately not registered: only designated staff read
# them, through safeguarding.views, with every view audited.
