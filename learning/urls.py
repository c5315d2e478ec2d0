from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("my/", views.my_learning, name="my_learning"),
    path("my/next/", views.next_step, name="next_step"),
    path("classes/", views.teacher_home, name="teacher_home"),
    path("classes/<int:classroom_id>/", views.class_dashboard, name="class_dashboard"),
    path("classes/<int:classroom_id>/assign/", views.assignment_create, name="assignment_create"),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/",
        views.student_detail,
        name="student_detail",
    ),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/quizzes/<int:quiz_id>/another-attempt/",
        views.give_another_attempt,
        name="give_another_attempt",
    ),
    path(
        "classes/<int:classroom_id>/quizzes/<int:quiz_id>/statistics/",
        views.class_question_statistics,
        name="class_question_statistics",
    ),
    path("classes/<int:classroom_id>/family-letter/", views.family_letter_send, name="family_letter_send"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("assignments/<int:pk>/withdraw/", views.assignment_withdraw, name="assignment_withdraw"),
    path(
        "assignments/<int:pk>/remind/<str:audience>/",
        views.assignment_nudge,
        name="assignment_nudge",
    ),
    path("family/", views.guardian_home, name="guardian_home"),
    path("family/<int:child_id>/", views.guardian_home, name="guardian_child"),
    path("school/", views.school_overview, name="school_overview"),
    path(
        "certificates/<int:pk>/certificate.png",
        views.certificate_download,
        {"fmt": "png"},
        name="certificate_png",
    ),
    path(
        "certificates/<int:pk>/certificate.pdf",
        views.certificate_download,
        {"fmt": "pdf"},
        name="certificate_pdf",
    ),
    path("exports/", views.export_request, name="export_request"),
    path("exports/<str:token>/", views.export_status, name="export_status"),
    path("exports/<str:token>/download/", views.export_download, name="export_download"),
]
