from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("classes/", views.class_list, name="class_list"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/<int:classroom_id>/", views.class_detail, name="class_detail"),
    path("classes/<int:classroom_id>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:classroom_id>/archive/", views.class_archive, name="class_archive"),
    path("classes/<int:classroom_id>/code/", views.class_join_code, name="class_join_code"),
    path("classes/<int:classroom_id>/import/", views.roster_import, name="roster_import"),
    path("join/", views.join_class, name="join_class"),
    path("students/<int:student_id>/", views.student_detail, name="student_detail"),
    path(
        "students/<int:student_id>/password/",
        views.student_reset_password,
        name="student_reset_password",
    ),
    path(
        "students/<int:student_id>/link-code/",
        views.student_link_code,
        name="student_link_code",
    ),
    path("students/<int:student_id>/export/", views.student_export, name="student_export"),
    path("students/<int:student_id>/delete/", views.student_delete, name="student_delete"),
    path("deletion-requests/<int:pk>/", views.deletion_request, name="deletion_request"),
    path("deletion-requests/<int:pk>/object/", views.deletion_request_object, name="deletion_request_object"),
    path(
        "deletion-requests/<int:pk>/carry-out/",
        views.deletion_request_carry_out,
        name="deletion_request_carry_out",
    ),
    path("guardians/sign-up/", views.guardian_signup, name="guardian_signup"),
    path("children/link/", views.link_child, name="link_child"),
    path("children/<int:link_id>/consent/", views.consent, name="consent"),
    path("children/<int:link_id>/revoke/", views.link_revoke, name="link_revoke"),
    path("school/", views.school_detail, name="school_detail"),
    path("school/teachers/invite/", views.teacher_invite, name="teacher_invite"),
    path(
        "school/teachers/<int:teacher_id>/deactivate/",
        views.teacher_deactivate,
        name="teacher_deactivate",
    ),
    path("school/audit/", views.audit_log, name="audit_log"),
]
