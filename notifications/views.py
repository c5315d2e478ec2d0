from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import EmailPreferenceForm


@login_required
def notification_list(request):
    """Newest first; what is shown is marked read once the page has been built."""
    page = Paginator(selectors.notifications_for(request.user), 20).get_page(request.GET.get("page"))
    items = list(page.object_list)
    response = render(request, "notifications/list.html", {"page_obj": page, "items": items})
    services.mark_read(user=request.user, notification_ids=[n.pk for n in items if n.is_unread])
    return response


@login_required
def open_notification(request, pk):
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    messages.success(request, _("All notifications marked as read."))
    return redirect("notifications:list")


@login_required
def preferences(request):
    pref = services.preference_for(request.user)
    form = EmailPreferenceForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your e-mail choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail clients POST one-click (RFC 8058)
def unsubscribe(request, token):
    """Turn one kind of e-mail off without logging in. GET asks, POST does it."""
    try:
        user_id, field = services.read_unsubscribe_token(token)
    except signing.BadSignature:
        raise Http404 from None
    user = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    done = False
    if request.method == "POST":
        services.set_preferences(user=user, **{field: False})
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"done": done, "field": field, "token": token},
    )
