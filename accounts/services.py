"""Writes for accounts: ending a user's sessions."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.module_loading import import_string


def end_all_sessions(user) -> int:
    """Delete every unexpired session of `user`; returns how many.

    Works with the database-backed engines (db, cached_db: the store's delete() clears the
    cache too). A rare, staff-initiated act, so scanning live sessions is acceptable. Whatever
    the engine, Django also refuses a session whose password hash no longer matches.
    """
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended
