"""Operators run the site: superusers. Editors are `is_staff` too (the Wagtail admin needs it),
so `is_staff`, or a model permission a group hands out, never opens operator pages."""


def is_operator(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


class OperatorOnlyAdmin:
    """A Django admin page that only operators reach, whatever model permissions a group gives:
    for records that name children or carry Get help activity (the audit log, notices, mail
    logs, background jobs)."""

    def has_module_permission(self, request):
        return is_operator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_operator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_operator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_operator(request.user)

    def has_add_permission(self, request):
        return is_operator(request.user)


class ReadOnlyOperatorAdmin(OperatorOnlyAdmin):
    """Operators may look, nobody writes: records with their own audited path in the product."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
