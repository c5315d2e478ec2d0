"""The Wagtail page form for curriculum pages (courses, lessons, quizzes)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page


class CurriculumPageForm(WagtailAdminPageForm):
    """A new page whose address (slug, made from its title) is taken by a sibling, often an
    abandoned draft, gets the next free one ("…-2") instead of an error hidden on the Promote
    tab. When an editor changes an existing page's slug to a taken one, the error is also
    listed at the top of the page, where the editor is."""

    def clean(self):
        # The model's clean() may need the parent of a page not yet in the tree.
        self.instance._form_parent_page = self.parent_page
        slug = self.cleaned_data.get("slug")
        if slug and self.parent_page is not None and self.instance.pk is None:
            free, n = slug, 1
            while not Page._slug_is_available(free, self.parent_page):
                n += 1
                free = f"{slug}-{n}"
            self.cleaned_data["slug"] = free
        cleaned = super().clean()
        if "slug" in self.errors:
            self.add_error(
                None,
                _(
                    "Another page in this place already uses this address (slug), perhaps an unpublished "
                    "draft. Change “Slug” on the Promote tab."
                ),
            )
        return cleaned
