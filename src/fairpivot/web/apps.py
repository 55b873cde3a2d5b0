"""The web app."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    """Pages, the API, access rules and the access log."""

    name = "fairpivot.web"
    label = "web"
    verbose_name = "Web app"
    default_auto_field = "django.db.models.BigAutoField"
