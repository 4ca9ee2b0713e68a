"""Staff learning in a review: the lead's individual online questionnaire (opened, watched,
closed, its responses downloaded), the questionnaire answered by link without signing in,
and the team conversation pack (facilitator guide, notes template, notes uploaded back).

Leads set questionnaires up; whoever may import documents, and contributors for their own
organisations, download the pack and upload a team's notes. Changes are actions in
``track.actions.questionnaires``, which check the user again.
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from stocktake.collect import conversation_pack, staging
from stocktake.collect.models import Finding, SectionKind
from stocktake.core.errors import InvalidInput, InvalidTransition, NotAllowed
from stocktake.reviews.models import Participant
from stocktake.track import questionnaires as queries
from stocktake.track.actions import questionnaires as actions
from stocktake.track.models import Identity, Questionnaire, TeamNotes
from stocktake.track.values_csv import parse_date
from stocktake.web.presenters import staff_learning as present
from stocktake.web.views.base import review_page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = [(SectionKind.ACHIEVEMENTS, "Key achievements"), (SectionKind.CHALLENGES, "Challenges"),
         (SectionKind.LEARNING, "Significant learning"),
         (SectionKind.EXAMPLES, "Examples of innovation or good practice"),
         (SectionKind.KEEP, "What should be kept"), (SectionKind.GENERAL, "General")]


def _page(request, slug, **kwargs):
    page = review_page(request, slug, current="staff_learning", **kwargs)
    access = page.access
    if not (access.has("manage_review") or access.has("import_documents")
            or (access.has("write_submission") and access.own_organisations())):
        raise PermissionDenied("Staff learning is for the review's leads and contributors")
    return page


def _lead_page(request, slug, trail=()):
    return _page(request, slug, require="manage_review", trail=[
        ("Staff learning", reverse("staff_learning", kwargs={"slug": slug})), *trail])


def _notes_organisations(page):
    """The participants whose team notes this user may upload (leads: all of them)."""
    participants = Participant.objects.filter(review=page.review).select_related("organisation")
    return [p.organisation for p in participants
            if actions.may_upload_notes(page.access, p.organisation_id)]


def _errors(message: str, field: str) -> list[dict]:
    return [{"text": message, "href": f"#{field}"}]


@login_required
def staff_learning(request, slug, *, errors=None, values=None):
    page = _page(request, slug)
    access = page.access
    today = timezone.localdate()
    questionnaires = []
    if access.has("manage_review"):
        questionnaires = [
            {"q": q, "state": present.state(q, today),
             "dates": present.dates_text(q.opens_on, q.closes_on)}
            for q in queries.with_counts(Questionnaire.objects.visible_to(access))]
    organisations = _notes_organisations(page)
    values = values or {"organisation": "", "team": ""}
    own = [o for o in organisations if o.pk in access.own_organisations()]
    return render(request, "staff_learning/index.html", {
        **page.context(), "questionnaires": questionnaires,
        "organisations": [{"value": "", "text": "Choose the team's organisation"}] + [
            {"value": str(o.pk), "text": o.name, "selected": values["organisation"] == str(o.pk)}
            for o in organisations],
        "prefilled": own[0] if len(own) == 1 else None,
        "notes": TeamNotes.objects.visible_to(access).select_related("organisation",
                                                                     "document"),
        "errors": errors or [], "values": values,
        "may_remove": lambda notes: actions.may_upload_notes(access, notes.organisation_id),
    }, status=400 if errors else 200)


# -- the lead's questionnaire pages -----------------------------------------------------------


def _questionnaire(page, questionnaire_id) -> Questionnaire:
    found = Questionnaire.objects.visible_to(page.access).filter(pk=questionnaire_id).first()
    if found is None:
        raise Http404("No such questionnaire")
    return found


def _dates(values: dict) -> tuple:
    """(opens on, closes on, errors) from the form's two optional date fields."""
    opens_on, closes_on = (parse_date(values[k]) if values[k] else None
                           for k in ("opens_on", "closes_on"))
    if values["opens_on"] and opens_on is None:
        return None, None, _errors("Enter the opening date as 2026-03-31 or 31/03/2026",
                                   "opens_on")
    if values["closes_on"] and closes_on is None:
        return None, None, _errors("Enter the closing date as 2026-03-31 or 31/03/2026",
                                   "closes_on")
    return opens_on, closes_on, []


def _domain_items(review, chosen: str) -> list[dict]:
    return [{"value": "", "text": "No domain", "selected": not chosen}] + [
        {"value": d.key, "text": d.name, "selected": d.key == chosen}
        for d in review.framework.domains.order_by("position", "id")]


def _kind_items(chosen: str) -> list[dict]:
    return [{"value": str(k), "text": label, "selected": str(k) == chosen} for k, label in KINDS]


@login_required
def questionnaire_new(request, slug):
    page = _lead_page(request, slug)
    review = page.review
    errors = []
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip()
                  for k in ("title", "identity", "opens_on", "closes_on")}
        questions = present.questions_from_post(request.POST)
        opens_on, closes_on, errors = _dates(values)
        if not errors:
            try:
                questionnaire, token = actions.open_questionnaire(
                    review=review, title=values["title"], identity=values["identity"],
                    questions=questions, opens_on=opens_on, closes_on=closes_on, by=request.user)
            except InvalidInput as exc:
                message = str(exc)
                row = re.match(r"Question (\d+)", message)
                field = ("title" if "title" in message else "identity" if "anonymous" in message
                         else "closes_on" if "date" in message
                         else f"q-domain-{row[1]}" if row and "domain" in message
                         else f"q-text-{row[1]}" if row else "q-text-1")
                errors = _errors(message, field)
            else:
                return _show_link_once(request, slug, questionnaire, _link(request, token),
                                       opened=True)
    else:
        values = {"title": f"Staff learning: {review.title}"[:200],
                  "identity": Identity.ANONYMOUS, "opens_on": "", "closes_on": ""}
        questions = conversation_pack.default_questions(review)
    rows = [{"row": row, "domains": _domain_items(review, row.domain),
             "kinds": _kind_items(row.kind)}
            for row in present.question_rows(questions, blank=present.BLANK_ROWS
                                             if request.method != "POST" else 0)]
    return render(request, "staff_learning/questionnaire_form.html", {
        **page.context(), "values": values, "errors": errors, "rows": rows,
        "identities": Identity.choices}, status=400 if errors else 200)


def _link(request, token: str) -> str:
    return request.build_absolute_uri(reverse("questionnaire_answer", kwargs={"token": token}))


def _detail(request, page, questionnaire, *, link=None, opened=False, errors=(),
            dates=None):
    domains = dict(page.review.framework.domains.values_list("key", "name"))
    dates = dates or {k: getattr(questionnaire, k).isoformat() if getattr(questionnaire, k)
                      else "" for k in ("opens_on", "closes_on")}
    return render(request, "staff_learning/questionnaire.html", {
        **page.context(), "questionnaire": questionnaire, "link": link, "opened": opened,
        "errors": list(errors), "values": dates,
        "state": present.state(questionnaire, timezone.localdate()),
        "dates": present.dates_text(questionnaire.opens_on, questionnaire.closes_on),
        "questions": [{"text": q["text"], "domain": domains.get(q["domain"], "")}
                      for q in questionnaire.questions],
        "by_organisation": queries.counts_by_organisation(questionnaire),
        "by_day": queries.counts_by_day(questionnaire),
        "total": questionnaire.responses.count(),
    }, status=400 if errors else 200)


@login_required
def questionnaire_detail(request, slug, questionnaire_id):
    page = _lead_page(request, slug)
    questionnaire = _questionnaire(page, questionnaire_id)
    shown = request.session.pop(f"questionnaire-link-{questionnaire.pk}", None) or {}
    return _detail(request, page, questionnaire, link=shown.get("link"),
                   opened=shown.get("opened", False))


@login_required
@require_POST
def questionnaire_toggle(request, slug, questionnaire_id):
    page = _lead_page(request, slug)
    questionnaire = _questionnaire(page, questionnaire_id)
    is_open = request.POST.get("open") == "yes"
    actions.set_questionnaire_open(questionnaire=questionnaire, is_open=is_open, by=request.user)
    messages.success(request, "Questionnaire reopened: its link works again." if is_open
                     else "Questionnaire closed: its link no longer works.")
    return redirect("questionnaire", slug=slug, questionnaire_id=questionnaire.pk)


@login_required
@require_POST
def questionnaire_dates(request, slug, questionnaire_id):
    page = _lead_page(request, slug)
    questionnaire = _questionnaire(page, questionnaire_id)
    values = {k: request.POST.get(k, "").strip() for k in ("opens_on", "closes_on")}
    opens_on, closes_on, errors = _dates(values)
    if not errors:
        try:
            actions.set_questionnaire_dates(questionnaire=questionnaire, opens_on=opens_on,
                                            closes_on=closes_on, by=request.user)
        except InvalidInput as exc:
            errors = _errors(str(exc), "closes_on")
    if errors:
        return _detail(request, page, questionnaire, errors=errors, dates=values)
    messages.success(request, "Dates saved.")
    return redirect("questionnaire", slug=slug, questionnaire_id=questionnaire.pk)


@login_required
@require_POST
def questionnaire_link(request, slug, questionnaire_id):
    page = _lead_page(request, slug)
    questionnaire = _questionnaire(page, questionnaire_id)
    token = actions.renew_questionnaire_link(questionnaire=questionnaire, by=request.user)
    return _show_link_once(request, slug, questionnaire, _link(request, token))


def _show_link_once(request, slug, questionnaire, link: str, *, opened: bool = False):
    """Only the link's hash is stored: the page shows the link once, after a redirect (so
    that reloading it neither shows the link again nor makes another)."""
    request.session[f"questionnaire-link-{questionnaire.pk}"] = {"link": link, "opened": opened}
    return redirect("questionnaire", slug=slug, questionnaire_id=questionnaire.pk)


class _Echo:
    def write(self, value):
        return value


@login_required
def questionnaire_csv(request, slug, questionnaire_id):
    page = _lead_page(request, slug)
    questionnaire = _questionnaire(page, questionnaire_id)
    writer = csv.writer(_Echo())
    findings = Finding.objects.visible_to(page.access)
    lines = (writer.writerow(row) for row in (
        queries.CSV_HEADER, *queries.csv_rows(questionnaire, findings)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="{page.review.slug}-'
                                       f'questionnaire-{questionnaire.pk}-responses.csv"')
    return response


# -- the questionnaire by link (no sign-in) ---------------------------------------------------


def _by_token(token: str) -> Questionnaire:
    questionnaire = actions.questionnaire_for_token(token)
    if questionnaire is None:
        raise Http404("This questionnaire link does not work: it may have been closed")
    return questionnaire


def questionnaire_answer(request, token):
    questionnaire = _by_token(token)
    review = questionnaire.review
    closed = actions.not_answerable(questionnaire, timezone.localdate())
    count = len(questionnaire.questions)
    values = {"organisation": "", "name": "", "role": "",
              **{f"q{n}": "" for n in range(1, count + 1)}}
    errors = []
    if request.method == "POST" and not closed:
        values = {k: request.POST.get(k, "") for k in values}
        if request.POST.get("website"):  # the honeypot: people never see or fill it
            return redirect("questionnaire_thanks", token=token)
        try:
            actions.answer_questionnaire(
                questionnaire=questionnaire, organisation_id=values["organisation"],
                answers=[values[f"q{n}"] for n in range(1, count + 1)],
                name=values["name"], role=values["role"],
                sender=request.META.get("REMOTE_ADDR", ""))
        except actions.TooManyAnswers as exc:
            return render(request, "staff_learning/thanks.html",
                          {"questionnaire": questionnaire, "message": str(exc)}, status=429)
        except actions.QuestionnaireError as exc:
            errors = _errors(str(exc), exc.field)
        except NotAllowed as exc:
            closed = str(exc)
        else:
            return redirect("questionnaire_thanks", token=token)
    organisations = (Participant.objects.filter(review=review).select_related("organisation")
                     .order_by("organisation__name"))
    domains = [(d.key, d.name, d.description)
               for d in review.framework.domains.order_by("position", "id")]
    return render(request, "staff_learning/answer.html", {
        "questionnaire": questionnaire, "review": review, "closed": closed,
        "errors": errors, "values": values, "named": questionnaire.named,
        "required": questionnaire.identity == Identity.NAMED_REQUIRED,
        "groups": present.question_groups(questionnaire.questions, domains),
        "organisations": [{"value": "", "text": "Choose your organisation"}] + [
            {"value": str(p.organisation_id), "text": p.organisation.name,
             "selected": values["organisation"] == str(p.organisation_id)}
            for p in organisations],
        "max_chars": actions.MAX_FIELD_CHARS,
    }, status=400 if errors else 200)


def questionnaire_thanks(request, token):
    return render(request, "staff_learning/thanks.html",
                  {"questionnaire": _by_token(token), "message": ""})


# -- the team conversation pack -------------------------------------------------------------


@login_required
def guide_download(request, slug):
    page = _page(request, slug)
    response = HttpResponse(conversation_pack.guide_docx(page.review), content_type=DOCX)
    name = conversation_pack.guide_filename(page.review)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def notes_template_download(request, slug):
    page = _page(request, slug)
    organisation = None
    wanted = request.GET.get("organisation", "")
    if wanted:
        organisation = next((o for o in _notes_organisations(page) if str(o.pk) == wanted), None)
        if organisation is None:
            raise Http404("No such organisation")
    response = HttpResponse(conversation_pack.notes_template_docx(
        page.review, organisation=organisation), content_type=DOCX)
    name = conversation_pack.notes_filename(page.review, organisation=organisation)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def team_notes_upload(request, slug):
    page = _page(request, slug)
    values = {"organisation": request.POST.get("organisation", ""),
              "team": request.POST.get("team", "")}
    organisation = next((o for o in _notes_organisations(page)
                         if str(o.pk) == values["organisation"]), None)
    upload = request.FILES.get("notes")
    limit = staging.max_bytes()
    if organisation is None:
        return staff_learning(request, slug, values=values, errors=_errors(
            "Choose the organisation the team belongs to", "organisation"))
    if upload is None:
        return staff_learning(request, slug, values=values, errors=_errors(
            "Choose the filled-in notes template (a .docx file)", "notes"))
    name = Path(upload.name).name
    if Path(name).suffix.lower() != ".docx":
        return staff_learning(request, slug, values=values, errors=_errors(
            f"{name}: the notes template is a Word file ending .docx; save it as .docx and "
            "upload it again", "notes"))
    if upload.size > limit:
        return staff_learning(request, slug, values=values, errors=_errors(
            f"{name}: the file is {upload.size / 1048576:.1f} MB; the most accepted is "
            f"{limit / 1048576:.0f} MB", "notes"))
    with tempfile.TemporaryDirectory(prefix="stocktake-notes-") as folder:
        path = Path(folder) / "notes.docx"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            extraction = conversation_pack.read_notes(page.review, path, name=name,
                                                      max_bytes=limit)
            team = values["team"].strip() or extraction.team
            notes = actions.record_team_notes(
                review=page.review, organisation=organisation, team=team,
                extraction=extraction, path=path, original_name=name, by=request.user)
        except InvalidInput as exc:
            field = "team" if "team's name" in str(exc) else "notes"
            return staff_learning(request, slug, values=values, errors=_errors(str(exc), field))
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
    messages.success(request, f"Notes of {notes.team} ({organisation.name}) uploaded: "
                              f"{notes.findings} finding{'s' if notes.findings != 1 else ''}.")
    return redirect(reverse("staff_learning", kwargs={"slug": slug}) + "#team-notes")


@login_required
@require_POST
def team_notes_remove(request, slug, notes_id):
    page = _page(request, slug)
    notes = (TeamNotes.objects.visible_to(page.access).select_related("organisation", "review")
             .filter(pk=notes_id).first())
    if notes is None:
        raise Http404("No such team notes")
    try:
        removed = actions.remove_team_notes(notes=notes, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Notes of {notes.team} ({notes.organisation.name}) removed, "
                                  f"with {removed} finding{'s' if removed != 1 else ''}.")
    return redirect(reverse("staff_learning", kwargs={"slug": slug}) + "#team-notes")
