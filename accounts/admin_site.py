"""The Django admin (/django-admin/) is the operators' (superusers') alone, whole: every page of
it, third-party models' too (groups and permissions, the login-attempt logs that name students,
Wagtail's images and documents, tags). Editors are staff for the Wagtail admin, and a group's
model permissions never open a page here (accounts.operators)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from .operators import is_operator


class OperatorAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return is_operator(request.user)


class OperatorAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.OperatorAdminSite"
