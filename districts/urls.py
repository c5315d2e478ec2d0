from django.urls import path

from . import views

app_name = "districts"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:district_id>/", views.report, name="report"),
    path("<int:district_id>/export/", views.export_request, name="export_request"),
    path("exports/<str:token>/", views.export_status, name="export_status"),
    path("exports/<str:token>/download/", views.export_download, name="export_download"),
]
