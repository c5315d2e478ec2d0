from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("search/", views.search, name="search"),
    path("lessons/<int:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("lessons/<int:lesson_id>/guide/", views.teacher_guide, name="teacher_guide"),
    path("lessons/<int:lesson_id>/present/", views.lesson_present, name="lesson_present"),
    path("standards/", views.standards_map, name="standards_map"),
    path("standards.pdf", views.standards_map_pdf, name="standards_map_pdf"),
    path("lessons/<int:lesson_id>/print/", views.lesson_print, name="lesson_print"),
    path("lessons/<int:lesson_id>/guide.pdf", views.teacher_guide_pdf, name="teacher_guide_pdf"),
    path("<int:course_id>/family-letter/", views.family_letter, name="family_letter"),
    path("<int:course_id>/family-letter.pdf", views.family_letter_pdf, name="family_letter_pdf"),
]
