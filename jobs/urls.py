from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/", views.job_detail, name="detail"),
    path("failed/", views.failed_list, name="failed"),
    path("<int:pk>/retry/", views.retry_job, name="retry"),
]
