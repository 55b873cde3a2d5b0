"""The WSGI application the production server runs."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairpivot.config.settings")
application = get_wsgi_application()
