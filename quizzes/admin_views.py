"""Wagtail admin views: import (upload -> preview -> confirm), export, item statistics, regrade."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.signing import BadSignature, TimestampSigner
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import importers, regrade, selectors
from .models import Question, QuizPage

_signer = TimestampSigner(salt="quizzes.import")


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Question file (Moodle XML or GIFT)"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("", gettext_lazy("Detect")), ("moodle-xml", "Moodle XML"), ("gift", "GIFT")],
        required=False,
    )
    tags = forms.CharField(label=gettext_lazy("Tags (comma-separated)"), required=False)


def _require_editor(request):
    if not request.user.has_perm("quizzes.add_question"):
        raise PermissionDenied


def import_questions(request):
    _require_editor(request)
    if request.method == "POST" and "token" in request.POST:
        # Confirm: the signed token carries the previewed file, so the import is what was seen.
        try:
            payload = _signer.unsign_object(request.POST["token"], max_age=3600)
        except BadSignature:
            messages.error(request, _("The preview expired; upload the file again."))
            return redirect("quizzes_import")
        result = importers.parse(payload["data"], payload["format"])
        if result.errors or not result.questions:
            messages.error(request, _("The file cannot be read; nothing was imported."))
            return redirect("quizzes_import")
        created = importers.save(result, tags=payload["tags"])
        messages.success(
            request,
            _("Imported %(n)d question(s), skipped %(m)d.") % {"n": len(created), "m": len(result.skipped)},
        )
        return redirect("wagtailsnippets_quizzes_question:list")
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(importers.MAX_BYTES + 1)
        fmt = form.cleaned_data["format"] or importers.detect_format(upload.name, data)
        text = importers.decode(data, fmt)
        result = text if isinstance(text, importers.ImportResult) else importers.parse(text, fmt)
        tags = [t.strip() for t in form.cleaned_data["tags"].split(",") if t.strip()]
        # The same summary the command's --dry-run prints, before the editor confirms.
        context.update(result=result, fmt=fmt, counts=result.counts_by_type(), summary=result.summary(dry_run=True))
        if result.ok and result.questions:
            context["token"] = _signer.sign_object({"data": text, "format": fmt, "tags": tags}, compress=True)
    return render(request, "quizzes/admin/import.html", context)


def export_questions(request):
    _require_editor(request)
    fmt = request.GET.get("format", "moodle-xml")
    if fmt not in importers.FORMATS:
        fmt = "moodle-xml"
    questions = Question.objects.prefetch_related("choices").select_related("image")
    if request.GET.get("topic"):
        questions = questions.filter(topic=request.GET["topic"])
    body = importers.export(questions, fmt)
    ext = "xml" if fmt == "moodle-xml" else "gift.txt"
    response = HttpResponse(body, content_type="application/xml" if ext == "xml" else "text/plain")
    response["Content-Disposition"] = f'attachment; filename="questions.{ext}"'
    return response


def item_statistics(request):
    _require_editor(request)
    rows = selectors.item_statistics_overall()
    return render(
        request, "quizzes/admin/stats.html", {"rows": rows, "can_regrade": request.user.has_perm("quizzes.add_regrade")}
    )


def regrade_quiz(request, quiz_id):
    """A quiz's attempts against the bank as it stands: what a regrade would change (GET), and
    the editor's go-ahead (POST: a worker regrades; the page then shows the run)."""
    if not request.user.has_perm("quizzes.add_regrade"):  # moderators: it changes results at once
        raise PermissionDenied
    quiz = get_object_or_404(QuizPage, pk=quiz_id)
    if request.method == "POST":
        started = regrade.request(quiz=quiz, user=request.user)[1]
        if started:
            messages.success(
                request,
                _("Regrading has started. Learners' results, progress and class dashboards follow when it finishes."),
            )
        else:
            messages.info(
                request,
                _("A regrade of this quiz is already waiting for a worker; it will use the keys as they are then."),
            )
        return redirect("quizzes_regrade", quiz_id=quiz.pk)
    outcome = regrade.preview(quiz)
    runs = list(quiz.regrades.select_related("requested_by")[:10])
    titles = dict(Question.objects.filter(pk__in=[*outcome.questions, *outcome.kept]).values_list("pk", "title"))
    return render(
        request,
        "quizzes/admin/regrade.html",
        {
            "quiz": quiz,
            "outcome": outcome,
            "questions": [(titles.get(qid, qid), n) for qid, n in outcome.questions.items()],
            "kept": [(titles.get(qid, qid), n) for qid, n in outcome.kept.items()],
            "runs": runs,
            "failed_run": next((run.pk for run in runs if regrade.failed_job(run)), None),
        },
    )
