from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from .health import healthz

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"

urlpatterns = [
    path("", include("learning.home_urls")),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("accounts.root_urls")),  # i18n/setlang/: the language switch, saved on the account
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
]

urlpatterns += [
    path("schools/", include("schools.urls")),
    path("courses/", include("courses.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("learning/", include("learning.urls")),
    path("help/", include("safeguarding.urls")),
    path("notifications/", include("notifications.urls")),
    path("jobs/", include("jobs.urls")),
    path("district/", include("districts.urls")),
]

# Public media only (Wagtail images): certificates and exports live outside MEDIA_ROOT
# (settings.PRIVATE_MEDIA_ROOT) and are served by access-checked views in learning/views.py.
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The curriculum pages (Wagtail) live under /learn/.
urlpatterns.append(path("learn/", include(wagtail_urls)))
