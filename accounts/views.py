from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import check_for_language
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language as django_set_language

from .forms import OwnPasswordChangeForm
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")
    form_class = OwnPasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        if user.must_change_password or user.password_reset_by_staff_at:
            # Their own password now: the forced change (middleware) and the notice end.
            user.must_change_password = False
            user.password_reset_by_staff_at = None
            user.save(update_fields=["must_change_password", "password_reset_by_staff_at"])
        messages.success(self.request, _("Your password has been changed."))
        return response


def set_language(request):
    """Django's language switch, and for a signed-in user the choice is saved on the account
    (digests, notifications and other devices follow it)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    choices = dict(User._meta.get_field("language").choices)
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in choices
        and check_for_language(language)
    ):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response
