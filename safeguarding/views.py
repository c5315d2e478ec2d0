"""Thin views: load through safeguarding.access (out of scope = 404), call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.roles import STAFF_ROLES, Role
from schools.models import School

from . import access, healthy_use, selectors, services
from .forms import (
    BreakSettingForm,
    DesignateForm,
    HelpContactForm,
    MessageForm,
    NoteForm,
    ReportForm,
    RetentionForm,
    StatusForm,
)
from .models import Attachment, HelpContact, Report

# --- students ---------------------------------------------------------------


@role_required(Role.STUDENT)
def new_report(request):
    schools = access.student_schools(request.user)
    form = None
    limit_notice = []
    status = 200
    if schools.exists():
        held = None
        if request.method == "POST":
            # The limit first, before any screenshot is opened: a refused report costs no
            # image work. The words come back in an unbound form, so nothing is validated.
            held = services.refuse_over_limit(
                student=request.user,
                school=schools.first(),
                urgent=ReportForm.posted_urgent(request.POST),
                had_images=any(request.FILES.getlist("screenshots")),
                request=request,
            )
        if held:
            form = ReportForm(initial=request.POST.dict(), schools=schools)
            limit_notice, status = held.paragraphs, 429
        else:
            form = ReportForm(request.POST or None, request.FILES or None, schools=schools)
        if request.method == "POST" and not held and form.is_valid():
            data = form.cleaned_data
            try:
                report = services.file_report(
                    student=request.user,
                    school=data["school"],
                    kind=data["kind"],
                    description=data["description"],
                    urgent=data["urgent"],
                    images=data["screenshots"],
                    request=request,
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except services.ReportLimitReached as refusal:
                # Same page, same words in the form, the hotlines still shown.
                limit_notice, status = refusal.paragraphs, 429
            else:
                messages.success(request, _("Your report was sent. Only your school's safeguarding staff can read it."))
                return redirect("safeguarding:report_detail", report.pk)
        elif request.method == "GET" and (held := services.report_limit_reached(request.user)):
            limit_notice = services.limit_message(refused=False, urgent_still_open=not held.daily)
    return render(
        request,
        "safeguarding/new_report.html",
        {
            "form": form,
            "limit_notice": limit_notice,
            "contacts": selectors.help_contacts_for(request.user),
            "recipients": selectors.recipients_for(schools) if form else [],
        },
        status=status,
    )


@role_required(Role.STUDENT)
def my_reports(request):
    reports = access.reports_visible_to(request.user).filter(student=request.user)
    return render(
        request,
        "safeguarding/my_reports.html",
        {
            "reports": reports,
            "contacts": selectors.help_contacts_for(request.user),
            "reset_at": selectors.recent_staff_reset(request.user),
        },
    )


@role_required(Role.STUDENT)
def report_detail(request, pk):
    report = get_object_or_404(
        access.reports_visible_to(request.user).filter(student=request.user).select_related("school"), pk=pk
    )
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_message(
                    report=report, author=request.user, body=form.cleaned_data["body"], request=request
                )
            except ValidationError as exc:
                form.add_error("body", exc)
            else:
                messages.success(request, _("Your message was sent."))
                return redirect("safeguarding:report_detail", report.pk)
    else:
        services.audit(actor=request.user, action="report_viewed", target=report, request=request)
        services.mark_seen_by_student(report)
    return render(
        request,
        "safeguarding/report_detail.html",
        {
            "report": report,
            "conversation": selectors.conversation(report),
            "attachments": report.attachments.all(),
            "form": form,
            "contacts": selectors.help_contacts_for(request.user),
        },
    )


# --- designated staff -------------------------------------------------------


@role_required(*STAFF_ROLES)
def case_list(request):
    designated = access.is_designated_staff(request.user)
    status = request.GET.get("status", "")
    if status not in Report.Status.values:
        status = ""
    reports = selectors.case_list(user=request.user, status=status)
    # In the log of each school whose cases the list shows (none, for staff not designated).
    for school in School.objects.filter(pk__in=access.designated_school_ids(request.user)):
        services.audit(actor=request.user, action="case_list_viewed", target=school, request=request, status=status)
    return render(
        request,
        "safeguarding/case_list.html",
        {
            "reports": reports,
            "designated": designated,
            "status": status,
            "statuses": Report.Status.choices,
            "counts": selectors.status_counts(user=request.user),
            "can_designate": access.schools_user_can_designate_for(request.user).exists(),
        },
    )


def _case(request, pk):
    return get_object_or_404(access.reports_visible_to(request.user).select_related("student", "school"), pk=pk)


@role_required(*STAFF_ROLES)
def case_detail(request, pk):
    return _render_case(request, _case(request, pk))


def _render_case(request, report, *, message_form=None, note_form=None, status_form=None, status=200):
    """The case page, also shown again with a form's errors: each time, a view of the case, audited."""
    services.audit(actor=request.user, action="case_viewed", target=report, request=request)
    return render(
        request,
        "safeguarding/case_detail.html",
        {
            "report": report,
            "conversation": selectors.conversation(report),
            "notes": report.staff_notes.select_related("author"),
            "attachments": report.attachments.all(),
            "message_form": message_form or MessageForm(),
            "note_form": note_form or NoteForm(),
            "status_form": status_form
            or StatusForm(initial={"status": report.status, "outcome": report.outcome}, current=report.status),
        },
        status=status,
    )


@role_required(*STAFF_ROLES)
@require_POST
def case_reply(request, pk):
    report = _case(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.add_message(report=report, author=request.user, body=form.cleaned_data["body"], request=request)
        except ValidationError as exc:
            # A deleted student's case shows no reply form, so the refusal goes in a message.
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your reply was sent to the student."))
            return redirect("safeguarding:case_detail", report.pk)
    return _render_case(request, report, message_form=form, status=400)


@role_required(*STAFF_ROLES)
@require_POST
def case_note(request, pk):
    report = _case(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(report=report, author=request.user, body=form.cleaned_data["body"], request=request)
        messages.success(request, _("Private note saved."))
        return redirect("safeguarding:case_detail", report.pk)
    return _render_case(request, report, note_form=form, status=400)


@role_required(*STAFF_ROLES)
@require_POST
def case_status(request, pk):
    report = _case(request, pk)
    form = StatusForm(request.POST, current=report.status)
    if form.is_valid():
        try:
            services.change_status(
                report=report,
                actor=request.user,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data.get("outcome", ""),
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Case status updated."))
            return redirect("safeguarding:case_detail", report.pk)
    return _render_case(request, report, status_form=form, status=400)


@role_required(*STAFF_ROLES)
@require_POST
def case_show_again(request, pk):
    """After a staff password reset: the designated staff have checked with the student in
    person, and put the student's reports back on their account's pages."""
    report = _case(request, pk)
    try:
        shown = services.show_reports_again(report=report, actor=request.user, request=request)
    except services.StillOnIssuedPassword as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if shown:
            messages.success(
                request,
                ngettext("The student can see %(n)s report again.", "The student can see %(n)s reports again.", shown)
                % {"n": shown},
            )
    return redirect("safeguarding:case_detail", report.pk)


@role_required(Role.STUDENT, *STAFF_ROLES)
def attachment(request, pk):
    """Screenshots are served only here, to people who may read the report."""
    item = get_object_or_404(Attachment.objects.filter(report__in=access.reports_visible_to(request.user)), pk=pk)
    services.audit(actor=request.user, action="attachment_viewed", target=item.report, request=request, attachment=pk)
    try:
        handle = item.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- school admins ----------------------------------------------------------


@role_required(Role.SCHOOL_ADMIN)
def designations(request):
    """A school admin's safeguarding settings: designated staff, help contacts, breaks."""
    schools = list(access.schools_user_can_designate_for(request.user))
    if not schools:
        raise Http404
    if request.method == "POST":
        return _designations_post(request)
    rows = [
        {
            "school": s,
            "designated": services.designated_staff(s),
            "form": DesignateForm(staff=access.staff_of(s).exclude(safeguarding_designations__school=s)),
            "contacts": HelpContact.objects.filter(school=s),
            "contact_form": HelpContactForm(),
            "retention_form": RetentionForm(initial={"retention_years": services.retention_years(s)}),
            "break_form": BreakSettingForm(
                initial={
                    "break_after_minutes": getattr(
                        getattr(s, "break_setting", None), "break_after_minutes", healthy_use.default_minutes()
                    )
                }
            ),
        }
        for s in schools
    ]
    services.audit(actor=request.user, action="designations_viewed", target=schools[0], request=request)
    return render(request, "safeguarding/designations.html", {"rows": rows})


def _designations_post(request):
    school = get_object_or_404(access.schools_user_can_designate_for(request.user), pk=request.POST.get("school"))
    action = request.POST.get("action", "designate")
    done = redirect("safeguarding:designations")
    if action == "remove":
        staff = get_object_or_404(access.staff_of(school), pk=request.POST.get("staff"))
        services.undesignate(school=school, staff=staff, by=request.user, request=request)
        messages.success(request, _("%(name)s is no longer safeguarding staff.") % {"name": staff.get_display_name()})
        return done
    if action == "add_contact":
        form = HelpContactForm(request.POST)
        if form.is_valid():
            services.add_contact(school=school, by=request.user, request=request, **form.cleaned_data)
            messages.success(request, _("Contact added."))
        else:
            for error in form.errors.values():
                messages.error(request, " ".join(error))
        return done
    if action == "remove_contact":
        contact = get_object_or_404(HelpContact.objects.filter(school=school), pk=request.POST.get("contact"))
        services.remove_contact(contact=contact, by=request.user, request=request)
        messages.success(request, _("Contact removed."))
        return done
    if action == "retention":
        form = RetentionForm(request.POST)
        if form.is_valid():
            services.set_retention_years(
                school=school, years=form.cleaned_data["retention_years"], by=request.user, request=request
            )
            messages.success(request, _("Retention period saved."))
        else:
            messages.error(request, _("Please enter a number of years between 1 and 25."))
        return done
    if action == "break":
        form = BreakSettingForm(request.POST)
        if form.is_valid():
            services.set_break_minutes(
                school=school, minutes=form.cleaned_data["break_after_minutes"], by=request.user, request=request
            )
            messages.success(request, _("Break reminder setting saved."))
        else:
            messages.error(request, _("Please enter a number of minutes between 0 and 240."))
        return done
    form = DesignateForm(request.POST, staff=access.staff_of(school))
    if form.is_valid():
        staff = form.cleaned_data["staff"]
        services.designate(school=school, staff=staff, by=request.user, request=request)
        messages.success(request, _("%(name)s is now safeguarding staff.") % {"name": staff.get_display_name()})
    else:
        messages.error(request, _("Please choose a member of staff from the list."))
    return done


# --- healthy use ------------------------------------------------------------


@login_required
def take_break(request):
    if request.method == "POST":
        healthy_use.restart(request)
        nxt = request.POST.get("next") or reverse("home")
        if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, require_https=request.is_secure()):
            nxt = reverse("home")
        messages.success(request, _("Welcome back."))
        return redirect(nxt)
    return render(
        request,
        "safeguarding/break.html",
        {"tip": healthy_use.random_tip(), "next": request.GET.get("next", "")},
    )


@login_required
def break_status(request):
    """For break.js: how long until a break is due on this page (students only)."""
    if not healthy_use.applies_to(request):
        return JsonResponse({"enabled": False})
    left = healthy_use.seconds_left(request)
    if left is None:
        return JsonResponse({"enabled": False})
    return JsonResponse(
        {
            "enabled": True,
            "seconds_left": left,
            "tip": healthy_use.random_tip(),
            "title": _("Time for a short break?"),
            "text": _("You have been on NetWise for a while. A short break helps you remember more."),
            "break_label": _("Take a break"),
            "dismiss_label": _("Not now"),
            "break_url": reverse("safeguarding:break"),
        }
    )
