"""The caller's address, one function for the audit log, code-guess limits and axes.

Behind N reverse proxies that each append to X-Forwarded-For, set
NETWISE_TRUSTED_PROXY_COUNT=N: the address is then the N-th entry from the right of that
header (the one the outermost trusted proxy saw). The default, 0, trusts no header and
uses REMOTE_ADDR only, so a client cannot choose its own address. docs/deploy.md.
"""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    value = (value or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    if request is None:
        return None
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    count = getattr(settings, "NETWISE_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        # The request did not pass through every trusted proxy: its header is not ours.
        return remote
    return _valid(hops[-count]) or remote
