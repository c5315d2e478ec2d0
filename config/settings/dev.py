"""Local development: SQLite under var/, debug pages, mail written to var/mail."""

from .base import *  # noqa: F401,F403
from .base import DATABASES, VAR_DIR

DEBUG = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
INTERNAL_IPS = ["127.0.0.1"]

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Web, worker and beat share one SQLite file under `make run`: wait for a lock
    # instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
