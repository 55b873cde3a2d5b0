"""Sessions that end after ``SESSION_COOKIE_AGE`` (8 hours) without use, and the two reads
every signed-in request makes (its session, its user) as prepared queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from fairpivot.records.prepared import Prepared

# A used session is saved again (its expiry, row and cookie pushed 8 hours on) once this
# much of its age has passed since it was last saved, not on every request: a session
# then ends between 8 hours less this and 8 hours after its last use, never later.
SESSION_RENEW_AFTER = timedelta(minutes=5)

_SESSION = Prepared(
    lambda key: Session.objects.filter(session_key=key).values_list("session_data", "expire_date"),
    str,
)
_USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields)
_USER = Prepared(lambda pk: User.objects.filter(pk=pk).values_list(*_USER_FIELDS), int)


class SessionStore(db.SessionStore):
    """Django's database sessions, read by a prepared query that also keeps the expiry."""

    # When the stored session expires, as read (None: not read, or no such session).
    stored_expiry: datetime | None = None

    def _get_session_from_db(self) -> Session | None:
        """The live session row of this key (None, and no key, when absent or expired)."""
        key = self.session_key
        rows = _SESSION.rows(key) if key else []
        if key is None or not rows or rows[0][1] <= timezone.now():
            self._session_key = None
            return None
        data, expires = rows[0]
        self.stored_expiry = expires
        return Session(session_key=key, session_data=data, expire_date=expires)


class UserBackend(ModelBackend):
    """Django's model backend; the user every signed-in request loads is a prepared query."""

    def get_user(self, user_id: Any) -> User | None:
        """The active user with this id, or None."""
        rows = _USER.rows(user_id)
        if not rows:
            return None
        user = User.from_db(User.objects.db, list(_USER_FIELDS), rows[0])
        return user if self.user_can_authenticate(user) else None


def needs_renewal(stored_expiry: datetime | None, now: datetime) -> bool:
    """Whether a used session is due to be saved again: ``SESSION_RENEW_AFTER`` of its age
    has passed since its expiry was last set (a session not read from the database, such as
    one just made, always is)."""
    if stored_expiry is None:
        return True
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return stored_expiry - now <= age - SESSION_RENEW_AFTER


class IdleSessions:
    """Push a signed-in session's expiry on when a request used it and it is due.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` would do it for every request that carries the
    cookie, the health check and static files too: a database write (and a cookie) each
    time. Here only a request that read the session (every page and API call that asks who
    is signed in does) saves it, which sets its expiry, row and cookie 8 hours from now;
    and only once ``SESSION_RENEW_AFTER`` has passed since it was last saved, so a page
    that is used all the time writes its session every few minutes, not every view.
    Listed after SessionMiddleware, so this runs before it saves.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Serve the request, then mark a used, non-empty session for saving when due."""
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        if needs_renewal(getattr(session, "stored_expiry", None), timezone.now()):
            session.modified = True
        return response
