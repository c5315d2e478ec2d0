"""The site's front door: each role's home page, served at the root URL."""

from django.urls import path

from . import views

urlpatterns = [path("", views.home, name="home")]
