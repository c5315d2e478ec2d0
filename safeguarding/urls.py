from django.urls import path

from . import views

app_name = "safeguarding"
urlpatterns = [
    path("", views.new_report, name="new_report"),
    path("reports/", views.my_reports, name="my_reports"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/reply/", views.case_reply, name="case_reply"),
    path("cases/<int:pk>/note/", views.case_note, name="case_note"),
    path("cases/<int:pk>/status/", views.case_status, name="case_status"),
    path("cases/<int:pk>/show-again/", views.case_show_again, name="case_show_again"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("staff/", views.designations, name="designations"),
    path("break/", views.take_break, name="break"),
    path("break/status/", views.break_status, name="break_status"),
]
