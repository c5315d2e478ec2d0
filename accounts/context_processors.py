from .navigation import entries_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "help_url": None}
    help_entries = entries_for(user, slot="help")
    return {"nav_items": entries_for(user), "help_url": help_entries[0]["url"] if help_entries else None}
