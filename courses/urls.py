from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("search/", views.search, name="search"),
    path("lessons/<int:lesson_id>/done/", views.lesson_done, name="lesson_done"),
]
