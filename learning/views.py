"""Thin views: load through schools.access (out of scope is 404), call a selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.roles import STAFF_ROLES, Role
from courses.selectors import editor_overview, show_in_active_language, versioned_lessons
from quizzes import services as quiz_services
from quizzes.models import QuizPage
from schools import access

from .assignments import services as assignments
from .assignments.forms import AssignmentForm
from .dashboards import charts, class_statistics, selectors, today
from .exports import services as exports
from .family_mail import letters as family_letters
from .family_mail import nudges
from .family_mail.forms import FamilyLetterForm
from .models import Assignment, Certificate, Export


def home(request):
    """Visitors get the landing page; signed-in people their role's start page."""
    if not request.user.is_authenticated:
        return render(request, "accounts/landing.html")
    role = request.user.role
    if role == Role.STUDENT:
        return my_learning(request)
    if role == Role.TEACHER:
        return teacher_home(request)
    if role == Role.GUARDIAN:
        return guardian_home(request)
    if role == Role.SCHOOL_ADMIN:
        return school_home(request)
    if role == Role.DISTRICT_OFFICER:  # served by the districts app, reached by URL name
        return resolve(reverse("districts:overview")).func(request)
    return render(
        request,
        "learning/editor_home.html",
        {"role_label": request.user.get_role_display(), "waiting": editor_overview()},
    )


@role_required(Role.STUDENT)
def my_learning(request):
    context = today.student_today(student=request.user)
    # Titles in the learner's language (the rows point at the English pages, which own progress).
    show_in_active_language(
        [
            context["next_page"],
            *(row["assignment"].item for row in context["rows"]),
            *(p.page for p in context["in_progress"]),
            *(p.page for p in context["results"]),
            *(c.course for c in context["certificates"]),
            *context["open_courses"],
        ]
    )
    return render(request, "learning/my_learning.html", context)


@role_required(Role.STUDENT)
def next_step(request):
    """The student's next unfinished assignment ("What to do next" on My learning), else My learning:
    where a quiz result sends the student on."""
    page = selectors.next_page(student=request.user)
    return redirect(page.url if page is not None else "learning:my_learning")


@role_required(Role.TEACHER)
def teacher_home(request):
    return render(request, "learning/teacher_home.html", today.teacher_today(teacher=request.user))


def _classroom(request, classroom_id, *, teaching=False):
    qs = access.classrooms_taught_by(request.user) if teaching else access.classrooms_visible_to(request.user)
    return get_object_or_404(qs, pk=classroom_id)


@role_required(*STAFF_ROLES)
def class_dashboard(request, classroom_id):
    classroom = _classroom(request, classroom_id)
    sort = request.GET.get("sort", "name")
    show = request.GET.get("show", "all")
    data = selectors.class_dashboard(
        classroom=classroom,
        sort=sort if sort in ("name", "completion", "score") else "name",
        show=show if show in ("all", "behind", "not_started", "help") else "all",
        page=request.GET.get("page", 1),
        per_page=selectors.MATRIX_PAGE,
    )
    data["query_string"] = urlencode({"show": data["show"], "sort": data["sort"]})
    data["chart"] = charts.bar_chart(
        [charts.week_point(w["start"], w["value"]) for w in data["weeks"]],
        max_value=100,
    )
    data["can_assign"] = request.user.role == Role.TEACHER
    return render(request, "learning/class_dashboard.html", data)


@role_required(*STAFF_ROLES)
def class_question_statistics(request, classroom_id, quiz_id):
    """Item statistics of one quiz among one of the user's classes; anything else is 404."""
    classroom = _classroom(request, classroom_id)
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    rows = class_statistics.rows_for_class(quiz_ids=[quiz.pk], classroom_id=classroom.pk)
    show_in_active_language([quiz])  # the title in the teacher's language
    return render(
        request, "learning/class_question_statistics.html", {"quiz": quiz, "classroom": classroom, "rows": rows}
    )


def _student_in(request, classroom, student_id):
    """A student of `classroom` whom the user may see (schools.access), else 404."""
    return get_object_or_404(
        access.students_visible_to(request.user).filter(enrollments__classroom=classroom), pk=student_id
    )


@role_required(*STAFF_ROLES)
def student_detail(request, classroom_id, student_id):
    classroom = _classroom(request, classroom_id)
    student = _student_in(request, classroom, student_id)
    context = selectors.student_detail(classroom=classroom, student=student)
    # Like assigning work, giving another attempt is for the class's teachers (the school
    # admin sees who is out of attempts).
    context["can_give_attempts"] = request.user.role == Role.TEACHER and not classroom.is_archived
    return render(request, "learning/student_detail.html", context)


@role_required(Role.TEACHER)
@require_POST
def give_another_attempt(request, classroom_id, student_id, quiz_id):
    """ "Give one more attempt" at a quiz the student has used every attempt of without passing:
    a teacher of the class, for a student of it. Any other class, student or quiz is 404."""
    classroom = _classroom(request, classroom_id, teaching=True)
    if classroom.is_archived:  # last year's class: its teachers no longer decide for its students
        raise Http404
    student = _student_in(request, classroom, student_id)
    quiz = get_object_or_404(QuizPage.objects.live().exclude(purpose=QuizPage.Purpose.PRECHECK), pk=quiz_id)
    try:
        assignments.give_another_attempt(
            teacher=request.user,
            classroom=classroom,
            student=student,
            quiz=quiz,
            reason=request.POST.get("reason", ""),
            request=request,
        )
        given = True
    except quiz_services.NothingToGive:
        given = False
    show_in_active_language([quiz])  # its title in the teacher's language (after the audit's English one)
    names = {"name": student.get_display_name(), "quiz": quiz.title}
    if given:
        messages.success(request, _("%(name)s can take “%(quiz)s” once more. They have been told.") % names)
    else:
        messages.info(request, _("%(name)s can already take “%(quiz)s” or has passed it: nothing changed.") % names)
    return redirect("learning:student_detail", classroom_id=classroom.pk, student_id=student.pk)


@role_required(Role.TEACHER)
def assignment_create(request, classroom_id):
    classroom = _classroom(request, classroom_id, teaching=True)
    form = AssignmentForm(request.POST or None, classroom=classroom)
    if request.method == "POST" and form.is_valid():
        assignments.create_assignment(
            teacher=request.user,
            classroom=classroom,
            item=form.cleaned_data["item"],
            due_at=form.cleaned_data["due_at"],
            note=form.cleaned_data["note"],
            students=form.cleaned_data["students"],
            age_version=form.cleaned_data["age_version"],
        )
        messages.success(request, _("Assigned. Students see it on their “My learning” page now."))
        return redirect("learning:class_dashboard", classroom_id=classroom.pk)
    context = {"form": form, "classroom": classroom, "versioned_lessons": versioned_lessons()}
    return render(request, "learning/assignment_form.html", context)


def _own_assignment(request, pk):
    return get_object_or_404(
        Assignment.objects.active().filter(classroom__in=access.classrooms_taught_by(request.user)), pk=pk
    )


@role_required(Role.TEACHER)
def assignment_edit(request, pk):
    assignment = _own_assignment(request, pk)
    classroom = assignment.classroom
    initial = {
        "item": assignment.item,
        "due_at": assignment.due_at,
        "note": assignment.note,
        "age_version": assignment.age_version,
        "students": list(assignment.students.all()),
    }
    form = AssignmentForm(request.POST or None, classroom=classroom, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        assignments.update_assignment(
            assignment=assignment,
            due_at=form.cleaned_data["due_at"],
            note=form.cleaned_data["note"],
            students=form.cleaned_data["students"],
            age_version=form.cleaned_data["age_version"],
        )
        messages.success(request, _("Assignment updated."))
        return redirect("learning:class_dashboard", classroom_id=classroom.pk)
    return render(
        request,
        "learning/assignment_form.html",
        {"form": form, "classroom": classroom, "assignment": assignment, "versioned_lessons": versioned_lessons()},
    )


@role_required(Role.TEACHER)
@require_POST
def assignment_withdraw(request, pk):
    assignment = _own_assignment(request, pk)
    assignments.withdraw_assignment(assignment=assignment)
    messages.success(request, _("Assignment withdrawn."))
    return redirect("learning:class_dashboard", classroom_id=assignment.classroom_id)


@role_required(Role.TEACHER)
@require_POST
def assignment_nudge(request, pk, audience):
    """One click on the teacher's home: remind the students who have not finished an overdue
    assignment, or tell their families; nobody is told twice on one day."""
    if audience not in (nudges.STUDENTS, nudges.FAMILIES):
        raise Http404
    assignment = _own_assignment(request, pk)
    if not assignment.is_overdue:
        messages.info(request, _("This assignment is not overdue, so nobody was reminded."))
    elif audience == nudges.STUDENTS:
        n = nudges.remind_students(assignment=assignment)
        if n:
            messages.success(
                request,
                ngettext("Reminded %(n)s student.", "Reminded %(n)s students.", n) % {"n": n},
            )
        else:
            messages.info(request, _("Nobody new to remind: every student who has not finished was reminded today."))
    else:
        n = nudges.tell_families(assignment=assignment)
        if n:
            messages.success(request, ngettext("Told %(n)s family.", "Told %(n)s families.", n) % {"n": n})
        else:
            messages.info(
                request,
                _(
                    "No family told: they were told today already, or no linked parent of these students "
                    "chose due-date reminders."
                ),
            )
    return redirect("learning:teacher_home")


@role_required(Role.GUARDIAN)
def guardian_home(request, child_id=None):
    children = selectors.guardian_children(guardian=request.user)
    context = {"children": children, "pending": selectors.pending_children(guardian=request.user)}
    context.update(today.guardian_today(children=children))
    if children:
        if child_id is None:
            child = children[0]
        else:
            child = next((c for c in children if c.pk == child_id), None)
            if child is None:
                raise Http404
        context.update(selectors.guardian_child(child=child))
        show_in_active_language(
            [
                *(row["assignment"].item for row in context.get("rows", ())),
                *(p.page for p in context.get("in_progress", ())),
                *(p.page for p in context.get("results", ())),
                *(p.page for p in context.get("completed_courses", ())),
                *(c.course for c in context.get("certificates", ())),
            ]
        )
        context["chart"] = charts.bar_chart(
            [charts.week_point(w["start"], w["value"]) for w in context["time_per_week"]],
            unit=_("min"),
        )
    elif child_id is not None:
        raise Http404
    return render(request, "learning/guardian_home.html", context)


@role_required(Role.SCHOOL_ADMIN)
def school_home(request):
    """The school at a glance; the full overview is one click away."""
    school = access.schools_administered_by(request.user).order_by("pk").first()
    context = today.school_today(school=school, viewer=request.user) if school is not None else {"school": None}
    return render(request, "learning/school_home.html", context)


@role_required(Role.SCHOOL_ADMIN)
def school_overview(request):
    school = access.schools_administered_by(request.user).order_by("pk").first()
    if school is None:
        return render(request, "learning/school_overview.html", {"school": None})
    data = selectors.school_overview(school=school)
    data["chart"] = charts.bar_chart([charts.week_point(w["start"], w["value"]) for w in data["weekly"]], unit="")
    return render(request, "learning/school_overview.html", data)


# --- certificates -------------------------------------------------------------------


@login_required
def certificate_download(request, pk, fmt):
    """The only route to a certificate file (they are stored outside MEDIA_ROOT).

    Whoever may see the student may download it (schools.access.students_visible_to): the
    student, their class teachers, actively linked guardians (consent given for an under-14)
    and their school's admin. Anyone else, an editor included, gets 404."""
    cert = get_object_or_404(
        Certificate.objects.filter(student__in=access.students_visible_to(request.user)).select_related("course"),
        pk=pk,
    )
    file = cert.png if fmt == "png" else cert.pdf
    if not file:
        raise Http404
    name = f"netwise-certificate-{cert.course.slug}.{fmt}"
    return FileResponse(file.open("rb"), as_attachment=True, filename=name)


# --- exports ------------------------------------------------------------------------


def _export_scope(user, kind, scope_id):
    """The classroom, school or student an export of `kind` covers, when `user` may export
    it; None otherwise. Loaded with its school, which the audit event is filed under."""
    if kind == Export.Kind.CLASS:
        scopes = access.classrooms_visible_to(user).select_related("school")
    elif kind == Export.Kind.SCHOOL:
        scopes = access.schools_administered_by(user)
    elif kind == Export.Kind.GUARDIAN and user.role == Role.GUARDIAN:
        scopes = access.students_visible_to(user).select_related("student_profile__school")
    else:
        return None
    return scopes.filter(pk=scope_id).first()


@login_required
@require_POST
def export_request(request):
    kind = request.POST.get("kind", "")
    fmt = request.POST.get("format", "")
    try:
        scope_id = int(request.POST.get("scope_id", ""))
    except ValueError:
        raise Http404 from None
    allowed = {"class": ("csv", "xlsx"), "school": ("csv", "xlsx"), "guardian": ("csv", "pdf")}
    scope = _export_scope(request.user, kind, scope_id) if fmt in allowed.get(kind, ()) else None
    if scope is None:
        raise Http404
    export = exports.request_export(user=request.user, kind=kind, scope=scope, fmt=fmt, request=request)
    return redirect("learning:export_status", token=export.token)


def _own_export(request, token):
    """The requester's own export and its scope, while they still may see it (a teacher moved
    off the class loses it). A token guessed or forwarded to anyone else is 404."""
    export = get_object_or_404(Export, token=token, requested_by=request.user)
    scope = _export_scope(request.user, export.kind, export.scope_id)
    if scope is None:
        raise Http404
    return export, scope


@login_required
def export_status(request, token):
    export, _scope = _own_export(request, token)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": export.status,
                "progress": export.progress,
                "download": reverse("learning:export_download", args=[export.token]) if export.is_downloadable else "",
            }
        )
    return render(request, "learning/export_status.html", {"export": export})


@login_required
def export_download(request, token):
    export, scope = _own_export(request, token)
    if not export.is_downloadable:
        raise Http404
    exports.record_download(export=export, scope=scope, request=request)
    name = f"netwise-{export.kind}-{export.created_at:%Y%m%d-%H%M}.{export.format}"
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=name)


@role_required(Role.TEACHER)
def family_letter_send(request, classroom_id):
    """Pick a module and send its family letter to the class's linked guardians."""
    classroom = get_object_or_404(access.classrooms_taught_by(request.user), pk=classroom_id)
    form = FamilyLetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = form.cleaned_data["course"]
        result = family_letters.send_family_letter(teacher=request.user, classroom=classroom, course=course)
        if not result.guardians:
            messages.info(request, _("No guardian of this class has an active link yet: nothing was sent."))
        elif result.already_sent:
            messages.info(request, _("This letter was already sent to this class's guardians."))
        else:
            count = result.notified
            messages.success(
                request,
                ngettext("The letter was sent to %(n)s guardian.", "The letter was sent to %(n)s guardians.", count)
                % {"n": count},
            )
        return redirect("learning:family_letter_send", classroom_id=classroom.pk)
    context = {"classroom": classroom, "form": form, "guardian_count": family_letters.guardians_of(classroom).count()}
    return render(request, "learning/family_letter_send.html", context)
