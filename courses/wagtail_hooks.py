"""The admin dashboard's translation panel: what has no Chinese version yet, and which
Chinese pages need a look because their English source changed."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .models import TranslationReview
from .selectors import untranslated_pages

LISTED = 20


class TranslationPanel(Component):
    name = "translations"
    order = 150
    template_name = "courses/admin/translation_panel.html"

    def get_context_data(self, parent_context):
        missing = untranslated_pages()
        reviews = TranslationReview.objects.select_related("page", "source").order_by("-source_published_at")
        return {
            "heading": _("Chinese translations"),
            "missing_count": missing.count(),
            "missing": list(missing[:LISTED]),
            "review_count": reviews.count(),
            "reviews": list(reviews[:LISTED]),
        }


@hooks.register("construct_homepage_panels")
def add_translation_panel(request, panels):
    if request.user.has_perm("wagtailadmin.access_admin"):
        panels.append(TranslationPanel())
