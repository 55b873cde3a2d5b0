"""URL routes: the pages, the JSON API under /api/v1/, and the admin."""

from django.contrib import admin
from django.urls import include, path

from fairpivot.web.api import api
from fairpivot.web.views import auth

urlpatterns = [
    # Before the admin's own routes: the admin signs in through the pages' door, with the
    # same throttle and messages, instead of a second, unthrottled one.
    path("admin/login/", auth.sign_in, name="admin_sign_in"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("fairpivot.web.urls")),
]
