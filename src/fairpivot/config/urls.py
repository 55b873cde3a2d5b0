"""URL routes: the pages, the JSON API under /api/v1/, and the admin."""

from django.contrib import admin
from django.urls import include, path

from fairpivot.web.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("fairpivot.web.urls")),
]
