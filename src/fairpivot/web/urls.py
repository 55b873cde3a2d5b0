"""The pages' routes."""

from django.urls import path

from fairpivot.web.views import auth

urlpatterns = [
    path("login/", auth.sign_in, name="login"),
    path("logout/", auth.sign_out, name="logout"),
]
