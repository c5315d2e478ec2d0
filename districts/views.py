"""Thin views: a district officer's own districts only (everyone else, and any other
district, is 404); every figure comes from districts.selectors, already suppressed."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from accounts.roles import Role
from schools import audit

from . import pages, selectors, services
from .models import DistrictExport


def _audit(request, action, district, **details):
    """One event for each school of the district (target the district): the figures exported
    hold every school's, aggregated, so each school's admins see in their own audit log that
    the district took them. One with no school for a district that has none yet."""
    schools = [m.school for m in district.memberships.select_related("school")] or [None]
    for school in schools:
        audit.record(actor=request.user, action=action, target=district, request=request, school=school, **details)


def _districts(request):
    if request.user.role != Role.DISTRICT_OFFICER:
        raise Http404
    return selectors.districts_of(request.user)


@login_required
def overview(request):
    """The officer's district (or the list of them when they hold several)."""
    districts = list(_districts(request).order_by("name"))
    if len(districts) == 1:
        return _render_report(request, districts[0])
    return render(request, "districts/choose.html", {"districts": districts})


@login_required
def report(request, district_id):
    return _render_report(request, get_object_or_404(_districts(request), pk=district_id))


def _render_report(request, district):
    return render(
        request,
        "districts/report.html",
        {
            "district": district,
            "figures": pages.figures(district, request=request),
            "exports": DistrictExport.objects.filter(requested_by=request.user, district=district)[:3],
        },
    )


@login_required
@require_POST
def export_request(request, district_id):
    district = get_object_or_404(_districts(request), pk=district_id)
    fmt = request.POST.get("format", "")
    if fmt not in DistrictExport.Format.values:
        raise Http404
    export = services.request_export(user=request.user, district=district, fmt=fmt, language=get_language() or "en")
    _audit(request, "district.export_requested", district, format=fmt, export=export.pk)
    return redirect("districts:export_status", token=export.token)


def _own_export(request, token):
    """The officer's own export, while they still hold its district: an officer taken off the
    district loses its files at once, not when the token expires. 404 otherwise."""
    exports = DistrictExport.objects.filter(district__in=_districts(request)).select_related("district")
    return get_object_or_404(exports, token=token, requested_by=request.user)


@login_required
def export_status(request, token):
    export = _own_export(request, token)
    download = reverse("districts:export_download", args=[export.token]) if export.is_downloadable else ""
    if request.GET.get("format") == "json":
        return JsonResponse({"status": export.status, "progress": export.progress, "download": download})
    return render(request, "districts/export_status.html", {"export": export, "download": download})


@login_required
def export_download(request, token):
    export = _own_export(request, token)
    if not export.is_downloadable:
        raise Http404
    _audit(request, "district.export_downloaded", export.district, format=export.format, export=export.pk)
    name = f"netwise-district-{export.district.slug}-{export.created_at:%Y%m%d}.{export.format}"
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=name)
