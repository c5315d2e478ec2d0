from .selectors import unread_count


class _LazyCount:
    """Counts unread notices only when a template actually renders the number."""

    def __init__(self, user):
        self.user = user
        self._value = None

    def __int__(self):
        if self._value is None:
            self._value = unread_count(self.user)
        return self._value

    def __str__(self):
        return str(int(self))

    def __bool__(self):
        return int(self) > 0


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": _LazyCount(user)}
