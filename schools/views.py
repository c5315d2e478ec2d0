"""Schools views: thin; every object is loaded through schools/access.py (else 404)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.navigation import entries_for
from accounts.roles import STAFF_ROLES, Role

from . import access, audit, forms, roster
from .models import AuditEvent, Enrollment, GuardianLink, LinkCode, SchoolMembership
from .services import classrooms, deletion_requests, guardians, passwords, rosters, staff, student_data
from .services.common import SchoolsError

AUDIT_PAGE_SIZE = 50

staff_only = role_required(*STAFF_ROLES)


def _classroom(request, classroom_id):
    return get_object_or_404(access.classrooms_visible_to(request.user).select_related("school"), pk=classroom_id)


def _student(request, student_id):
    return get_object_or_404(access.students_visible_to(request.user), pk=student_id)


# --- classes ------------------------------------------------------------------------


@staff_only
def class_list(request):
    classes = (
        access.classrooms_visible_to(request.user)
        .select_related("school")
        .annotate(student_count=Count("enrollments", distinct=True))
        .order_by("archived_at", "grade", "name")
    )
    return render(
        request,
        "schools/class_list.html",
        {
            "active": [c for c in classes if not c.is_archived],
            "archived": [c for c in classes if c.is_archived],
            "can_create": request.user.role == Role.TEACHER,
        },
    )


@role_required(Role.TEACHER)
def class_create(request):
    school = classrooms.school_for_new_class(request.user)
    if school is None:
        raise Http404
    form = forms.ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        classroom = classrooms.create_classroom(
            teacher=request.user,
            school=school,
            name=form.cleaned_data["name"],
            grade=form.cleaned_data["grade"],
            request=request,
        )
        messages.success(request, _("Class created. Share the join code with your students."))
        return redirect("schools:class_detail", classroom_id=classroom.pk)
    return render(request, "schools/class_form.html", {"form": form, "school": school})


@staff_only
def class_detail(request, classroom_id):
    classroom = _classroom(request, classroom_id)
    enrollments = (
        Enrollment.objects.filter(classroom=classroom)
        .select_related("student__student_profile")
        .order_by("student__display_name", "student__username")
    )
    return render(
        request,
        "schools/class_detail.html",
        {
            "classroom": classroom,
            "enrollments": enrollments,
            "teachers": classroom.teachers.all(),
            "join_form": forms.JoinCodeForm(),
            "code_usable": classroom.join_code_usable(),
            "class_actions": entries_for(request.user, slot="class", args=[classroom.pk]),
        },
    )


@staff_only
def class_edit(request, classroom_id):
    classroom = _classroom(request, classroom_id)
    form = forms.ClassroomForm(request.POST or None, initial={"name": classroom.name, "grade": classroom.grade})
    if request.method == "POST" and form.is_valid():
        classrooms.rename_classroom(
            actor=request.user,
            classroom=classroom,
            name=form.cleaned_data["name"],
            grade=form.cleaned_data["grade"],
            request=request,
        )
        messages.success(request, _("Class saved."))
        return redirect("schools:class_detail", classroom_id=classroom.pk)
    return render(
        request,
        "schools/class_form.html",
        {"form": form, "classroom": classroom, "school": classroom.school},
    )


@require_POST
@staff_only
def class_archive(request, classroom_id):
    classroom = _classroom(request, classroom_id)
    archive = request.POST.get("archive", "1") == "1"
    classrooms.set_archived(actor=request.user, classroom=classroom, archived=archive, request=request)
    messages.success(request, _("Class archived.") if archive else _("Class restored."))
    return redirect("schools:class_detail", classroom_id=classroom.pk)


@require_POST
@staff_only
def class_join_code(request, classroom_id):
    classroom = _classroom(request, classroom_id)
    form = forms.JoinCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the code."))
    else:
        action = form.cleaned_data["action"]
        if action == "rotate":
            classrooms.rotate_join_code(
                actor=request.user,
                classroom=classroom,
                expires_in_days=form.cleaned_data["expires_in_days"],
                request=request,
            )
            messages.success(request, _("New join code made. The old one no longer works."))
        else:
            classrooms.set_join_code_enabled(
                actor=request.user,
                classroom=classroom,
                enabled=action == "enable",
                request=request,
            )
            messages.success(
                request,
                _("Join code switched on.") if action == "enable" else _("Join code switched off."),
            )
    return redirect("schools:class_detail", classroom_id=classroom.pk)


@never_cache  # the credentials sheet shows first-time passwords and link codes
@staff_only
def roster_import(request, classroom_id):
    classroom = _classroom(request, classroom_id)
    form = forms.RosterUploadForm(request.POST or None, request.FILES or None)
    context = {"classroom": classroom, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            result = roster.parse(form.cleaned_data["file"].read(), default_grade=classroom.grade)
        except roster.RosterFileError as exc:
            form.add_error("file", str(exc))
            return render(request, "schools/roster_import.html", context, status=400)
        rosters.check_roster_usernames(result)
        if result.errors:
            context["errors"] = result.errors
            return render(request, "schools/roster_import.html", context, status=400)
        credentials = rosters.import_roster(actor=request.user, classroom=classroom, result=result, request=request)
        # Shown once, never stored in clear: the teacher prints this page.
        return render(
            request,
            "schools/credentials_sheet.html",
            {"classroom": classroom, "credentials": credentials},
        )
    return render(request, "schools/roster_import.html", context)


# --- students (staff) -----------------------------------------------------------------


@staff_only
def student_detail(request, student_id):
    student = _student(request, student_id)
    audit.record(actor=request.user, action="student.viewed", target=student, request=request)
    profile = getattr(student, "student_profile", None)
    classes = access.classrooms_visible_to(request.user).filter(enrollments__student=student)
    return render(
        request,
        "schools/student_detail.html",
        {
            "student": student,
            "profile": profile,
            "classes": classes,
            "links": GuardianLink.objects.filter(student=student).select_related("guardian"),
            "open_codes": LinkCode.objects.filter(student=student, used_at__isnull=True),
            "can_privacy": access.can_export_or_delete_student(request.user, student),
            "can_reset_password": access.can_reset_password(request.user, student),
        },
    )


@never_cache  # shows the new first-time password
@require_POST
@staff_only
def student_reset_password(request, student_id):
    # Only the school admin and designated safeguarding staff: anyone else gets 404.
    student = get_object_or_404(access.students_resettable_by(request.user), pk=student_id)
    password = passwords.reset_student_password(actor=request.user, student=student, request=request)
    # Designated staff may reset a student they do not teach (no record page for them).
    if access.can_see_student(request.user, student):
        back_url = reverse("schools:student_detail", args=[student.pk])
    else:
        back_url = reverse("home")
    return render(
        request,
        "schools/password_reset_done.html",
        {"student": student, "password": password, "back_url": back_url},
    )


@never_cache  # shows the new link code
@require_POST
@staff_only
def student_link_code(request, student_id):
    student = _student(request, student_id)
    link_code = guardians.issue_link_code(actor=request.user, student=student, request=request)
    return render(request, "schools/link_code_letter.html", {"student": student, "link_code": link_code})


# --- students joining -------------------------------------------------------------------


@role_required(Role.STUDENT)
def join_class(request):
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            classroom, joined = classrooms.join_class(
                student=request.user, code=form.cleaned_data["code"], request=request
            )
        except SchoolsError as exc:
            form.add_error("code", str(exc))
        else:
            if joined:
                messages.success(request, _("You have joined %(name)s.") % {"name": classroom.name})
            else:
                messages.info(request, _("You are already in %(name)s.") % {"name": classroom.name})
            return redirect("home")
    return render(request, "schools/join_class.html", {"form": form})


# --- guardians ------------------------------------------------------------------------


def guardian_signup(request):
    if request.user.is_authenticated:
        return redirect("schools:link_child")
    form = forms.GuardianSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = guardians.sign_up_guardian(**form.cleaned_data, language=get_language())
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Account created. Now enter the code from school."))
        return redirect("schools:link_child")
    return render(request, "schools/guardian_signup.html", {"form": form})


@role_required(Role.GUARDIAN)
def link_child(request):
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = guardians.redeem_link_code(guardian=request.user, code=form.cleaned_data["code"], request=request)
        except SchoolsError as exc:
            form.add_error("code", str(exc))
        else:
            if link.state == GuardianLink.State.PENDING:
                return redirect("schools:consent", link_id=link.pk)
            messages.success(request, _("You are now linked to your child."))
            progress = entries_for(request.user, slot="child", args=[link.student_id])
            return redirect(progress[0]["url"] if progress else "schools:link_child")
    links = (
        GuardianLink.objects.filter(guardian=request.user)
        .exclude(state=GuardianLink.State.REVOKED)
        .select_related("student")
    )
    return render(request, "schools/link_child.html", {"form": form, "links": links})


def _own_link(request, link_id):
    return get_object_or_404(
        GuardianLink.objects.select_related("student__student_profile").exclude(state=GuardianLink.State.REVOKED),
        pk=link_id,
        guardian=request.user,
    )


@role_required(Role.GUARDIAN)
def consent(request, link_id):
    link = _own_link(request, link_id)
    form = forms.ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        guardians.give_consent(guardian=request.user, link=link, request=request)
        messages.success(request, _("Thank you. Your consent has been recorded."))
        # On to the child's progress (declared by the app that shows it), else the links page.
        progress = entries_for(request.user, slot="child", args=[link.student_id])
        return redirect(progress[0]["url"] if progress else "schools:link_child")
    return render(
        request,
        "schools/consent.html",
        {"form": form, "link": link, "notice_version": guardians.CONSENT_NOTICE_VERSION},
    )


@require_POST
@role_required(Role.GUARDIAN)
def link_revoke(request, link_id):
    link = _own_link(request, link_id)
    guardians.revoke_link(guardian=request.user, link=link, request=request)
    messages.success(request, _("The link has been removed."))
    return redirect("schools:link_child")


# --- privacy requests -------------------------------------------------------------------------


@role_required(Role.GUARDIAN, Role.SCHOOL_ADMIN)
def student_export(request, student_id):
    student = _student(request, student_id)
    data = student_data.export_student_data(actor=request.user, student=student, request=request)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="netwise-student-{student.pk}.zip"'
    return response


@role_required(Role.GUARDIAN, Role.SCHOOL_ADMIN)
def student_delete(request, student_id):
    """A school admin deletes at once (safeguarding records are kept, pseudonymised); a
    guardian only asks, and the deletion waits for the grace period (deletion_requests.request_deletion)."""
    student = _student(request, student_id)
    is_guardian = request.user.role == Role.GUARDIAN
    form = forms.ConfirmDeleteForm(request.POST or None, username=student.username)
    if request.method == "POST" and form.is_valid():
        if not is_guardian:
            student_data.delete_student(actor=request.user, student=student, request=request)
            messages.success(request, _("The account and its personal data have been deleted."))
            return redirect("home")
        try:
            deletion = deletion_requests.request_deletion(guardian=request.user, student=student, request=request)
        except SchoolsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your request has been sent to the school."))
            return redirect("schools:deletion_request", pk=deletion.pk)
    return render(
        request,
        "schools/student_delete.html",
        {
            "form": form,
            "student": student,
            "is_guardian": is_guardian,
            "refusal": deletion_requests.deletion_refusal(guardian=request.user, student=student)
            if is_guardian
            else None,
            "grace_days": deletion_requests.deletion_grace().days,
            "pending": access.deletion_requests_visible_to(request.user)
            .filter(student=student, status="pending")
            .first(),
        },
    )


def _deletion_request(request, pk):
    return get_object_or_404(
        access.deletion_requests_visible_to(request.user).select_related("student", "school", "requested_by"), pk=pk
    )


@role_required(Role.GUARDIAN, Role.SCHOOL_ADMIN)
def deletion_request(request, pk):
    """Status of a deletion request; objection and (school admin) early deletion. Never shows
    anything from the child's "Get help" reports."""
    deletion = _deletion_request(request, pk)
    return render(
        request,
        "schools/deletion_request.html",
        {
            "deletion": deletion,
            "form": forms.ObjectionForm(),
            "can_object": deletion_requests.can_object(request.user, deletion),
            "can_carry_out": deletion_requests.can_carry_out(request.user, deletion),
        },
    )


@require_POST
@role_required(Role.GUARDIAN, Role.SCHOOL_ADMIN)
def deletion_request_object(request, pk):
    deletion = _deletion_request(request, pk)
    form = forms.ObjectionForm(request.POST)
    if form.is_valid():
        try:
            deletion_requests.object_to_deletion(
                actor=request.user, deletion=deletion, reason=form.cleaned_data["reason"], request=request
            )
        except SchoolsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The request has been cancelled. Everyone concerned has been told."))
            return redirect("schools:deletion_request", pk=deletion.pk)
    return render(
        request,
        "schools/deletion_request.html",
        {
            "deletion": deletion,
            "form": form,
            "can_object": deletion_requests.can_object(request.user, deletion),
            "can_carry_out": deletion_requests.can_carry_out(request.user, deletion),
        },
        status=400,
    )


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def deletion_request_carry_out(request, pk):
    deletion = _deletion_request(request, pk)
    try:
        deletion_requests.carry_out_deletion(deletion=deletion, actor=request.user, request=request)
    except SchoolsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The account and its personal data have been deleted."))
    return redirect("schools:deletion_request", pk=deletion.pk)


# --- school admins ------------------------------------------------------------------------------


def _admin_school(request):
    school = access.schools_administered_by(request.user).order_by("pk").first()
    if school is None:
        raise Http404
    return school


@role_required(Role.SCHOOL_ADMIN)
def school_detail(request):
    school = _admin_school(request)
    memberships = (
        SchoolMembership.objects.filter(school=school, role=SchoolMembership.Role.TEACHER)
        .select_related("user")
        .order_by("-is_active", "user__display_name")
    )
    classes = (
        school.classrooms.annotate(student_count=Count("enrollments", distinct=True))
        .prefetch_related(Prefetch("teachers"))
        .order_by("archived_at", "grade", "name")
    )
    students = (
        access.students_visible_to(request.user)
        .select_related("student_profile")
        .order_by("student_profile__grade", "display_name")
    )
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "memberships": memberships,
            "classes": classes,
            "students": students,
            "invite_form": forms.TeacherInviteForm(),
            "deletion_requests": access.deletion_requests_visible_to(request.user)
            .filter(school=school, status="pending")
            .order_by("due_at"),
        },
    )


@never_cache  # shows the new teacher's first-time password
@role_required(Role.SCHOOL_ADMIN)
def teacher_invite(request):
    school = _admin_school(request)
    form = forms.TeacherInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        teacher, password = staff.invite_teacher(
            admin=request.user, school=school, request=request, **form.cleaned_data
        )
        return render(
            request,
            "schools/teacher_invited.html",
            {"teacher": teacher, "password": password, "school": school},
        )
    return render(request, "schools/teacher_invite.html", {"form": form, "school": school})


@require_POST
@role_required(Role.SCHOOL_ADMIN)
def teacher_deactivate(request, teacher_id):
    school = _admin_school(request)
    membership = get_object_or_404(
        SchoolMembership.objects.select_related("user"),
        school=school,
        role=SchoolMembership.Role.TEACHER,
        user_id=teacher_id,
        is_active=True,
    )
    staff.deactivate_teacher(admin=request.user, school=school, teacher=membership.user, request=request)
    messages.success(request, _("%(name)s can no longer sign in to this school.") % {"name": membership.user})
    return redirect(reverse("schools:school_detail"))


@role_required(Role.SCHOOL_ADMIN)
def audit_log(request):
    school = _admin_school(request)
    events = AuditEvent.objects.filter(school=school)
    action = request.GET.get("action", "")
    events = audit.filter_by_action(events, action, user=request.user, school=school)
    actions = AuditEvent.objects.filter(school=school).order_by().values_list("action", flat=True).distinct()
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/audit_log.html",
        {
            "school": school,
            # Restricted events (Get help) are masked for readers who are not designated.
            "events": audit.events_for_reader(page.object_list, user=request.user, school=school),
            "page_obj": page,
            "query_string": urlencode({"action": action}) if action else "",
            "action": action,
            "actions": audit.action_choices_for_reader(actions, user=request.user, school=school),
        },
    )
