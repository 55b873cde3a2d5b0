"""The WSGI application the production server runs."""

from django.core.handlers.wsgi import WSGIHandler

from fairpivot.config.bootstrap import setup_django

setup_django()
application = WSGIHandler()
