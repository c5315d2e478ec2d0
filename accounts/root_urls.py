"""Account URLs that live at the site's root under Django's own names."""

from django.urls import path

from . import views

urlpatterns = [path("i18n/setlang/", views.set_language, name="set_language")]
