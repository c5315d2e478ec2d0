"""The one way a view says which kinds of account may open it."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from .roles import Role


def role_required(*roles: Role):
    """Signed in with one of `roles`, else 404 (never confirm the page exists); anonymous
    visitors are sent to log in. Whose data the view then shows is schools/access.py's rule."""
    if not roles or not all(isinstance(r, Role) for r in roles):
        raise TypeError("role_required takes Role members")

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator
