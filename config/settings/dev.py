"""Local development: SQLite under var/, debug pages, mail written to var/mail."""

from .base import *  # noqa: F401,F403
from .base import VAR_DIR

DEBUG = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
INTERNAL_IPS = ["127.0.0.1"]
