from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("search/", views.search, name="search"),
    path("lessons/<int:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("lessons/<int:lesson_id>/guide/", views.teacher_guide, name="teacher_guide"),
    path("lessons/<int:lesson_id>/print/", views.lesson_print, name="lesson_print"),
    path("<int:course_id>/family-letter/", views.family_letter, name="family_letter"),
]
