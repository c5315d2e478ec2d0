"""Django admin: a site administrator creates districts, places schools in them and names
their officers (accounts of the kind "District officer")."""

from django.contrib import admin

from accounts.operators import OperatorOnlyAdmin

from .models import District, DistrictOfficer, DistrictSchool


class DistrictSchoolInline(admin.TabularInline):
    model = DistrictSchool
    extra = 1
    autocomplete_fields = ("school",)


class DistrictOfficerInline(admin.TabularInline):
    model = DistrictOfficer
    extra = 1
    raw_id_fields = ("user",)


@admin.register(District)
class DistrictAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)
    inlines = [DistrictSchoolInline, DistrictOfficerInline]


@admin.register(DistrictOfficer)
class DistrictOfficerAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ("user", "district", "created_at")
    list_filter = ("district",)
    raw_id_fields = ("user",)
