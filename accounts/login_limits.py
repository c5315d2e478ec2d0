"""Log-in limits: per username and address, per username across addresses, per address.

django-axes compares every lockout parameter with one AXES_FAILURE_LIMIT. We need a limit of
its own for each (settings.NETWISE_LOGIN_FAILURE_LIMITS, in the order of
AXES_LOCKOUT_PARAMETERS): a school behind one NAT address must not be locked out by a few
children mistyping, yet one address spraying a password over many usernames must be. So
the handler reports failures scaled to AXES_FAILURE_LIMIT: a parameter that reached its own
limit counts as AXES_FAILURE_LIMIT, below it as less.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def failure_limits() -> list[int]:
    limits = list(settings.NETWISE_LOGIN_FAILURE_LIMITS)
    if len(limits) != len(settings.AXES_LOCKOUT_PARAMETERS):
        raise ValueError("NETWISE_LOGIN_FAILURE_LIMITS needs one limit per AXES_LOCKOUT_PARAMETERS entry")
    return limits


class NetWiseAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        base = settings.AXES_FAILURE_LIMIT
        scaled = 0
        for attempts, limit in zip(self.get_user_attempts(request, credentials), failure_limits()):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            # failures >= limit  <=>  failures * base // limit >= base
            scaled = max(scaled, failures * base // limit)
        return scaled

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful log-in clears that username's failures only: never the address's,
        or an attacker with one valid account could reset the per-address count."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
