"""An innovation's evaluation (measures, staff and service-user feedback side by side), its
decision against a framework, its spread to other organisations, the region's spread view,
and the survey page answered by link without signing in.

Every page starts from :func:`stocktake.track.evaluation.innovation_for` (the register's one
scope); changes are actions in ``track.actions.evaluation``, which check the editor again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from markupsafe import Markup

from stocktake.collect.paging import IdsFirst, key_of
from stocktake.core.errors import EditConflict, InvalidInput, NotAllowed
from stocktake.reviews.models import Organisation
from stocktake.reviews.orgtree import OrgTree
from stocktake.track import evaluation as queries
from stocktake.track import feedback_file, values_csv
from stocktake.track.actions import evaluation as actions
from stocktake.track.models import (
    AdoptionStatus,
    DecisionOutcome,
    FeedbackSource,
    FeedbackSurvey,
    MeasureKind,
    MeasureValue,
)
from stocktake.track.scopes import innovation_scope
from stocktake.track.versions import registers_version
from stocktake.web.kept import kept
from stocktake.web.presenters import innovation_evaluation as present
from stocktake.web.presenters.findings import pagination
from stocktake.web.presenters.navigation import breadcrumbs

MAX_UPLOAD = 5 * 1024 * 1024


def _innovation(request, innovation_id: int, *, edit: bool = False):
    try:
        innovation = queries.innovation_for(request.user, innovation_id)
    except ObjectDoesNotExist:
        raise Http404("No such innovation") from None
    if edit and not queries.may_edit(request.user, innovation):
        raise PermissionDenied("Only those who log innovations for its organisation, and "
                               "leads, may change this")
    return innovation


def _href(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # the register's pages (another part of the application)
        return None


def _crumbs(innovation=None, *trail: tuple[str, str]) -> dict:
    items = []
    register = _href("innovations")
    if register:
        items.append(("Innovations", register))
    if innovation is not None:
        page = _href("innovation", innovation_id=innovation.pk)
        if page:
            items.append((innovation.title, page))
    return breadcrumbs(None, *items, *trail)


def _evaluation_crumbs(innovation, *trail):
    return _crumbs(innovation, ("Evaluation", reverse(
        "innovation_evaluation", kwargs={"innovation_id": innovation.pk})), *trail)


def _errors(message: str, field: str) -> list[dict]:
    return [{"text": message, "href": f"#{field}"}]


# Evaluation -------------------------------------------------------------------------------


@login_required
def evaluation(request, innovation_id):
    innovation = _innovation(request, innovation_id)
    return render(request, "innovations/evaluation.html", {
        "innovation": innovation, "may_edit": queries.may_edit(request.user, innovation),
        "breadcrumbs": _crumbs(innovation),
        "measures": present.measure_views(queries.measures(innovation)),
        "sides": present.feedback_sides(queries.feedback_sides(innovation)),
        "surveys": innovation.surveys.all(),
    })


def _measure_fields(post) -> dict:
    return {"name": post.get("name", ""), "kind": post.get("kind", ""),
            "unit": post.get("unit", ""), "baseline": post.get("baseline", "").strip(),
            "target": post.get("target", "").strip(),
            "higher_is_better": post.get("higher_is_better") == "yes",
            "baseline_points": post.get("baseline_points", "").strip()}


_MEASURE_FIELD_OF = (("name", "name"), ("kind", "kind"), ("unit", "unit"),
                     ("baseline points", "baseline_points"), ("baseline", "baseline"),
                     ("target", "target"), ("measure called", "name"))


def _field_of(message: str, known, default: str) -> str:
    lower = message.lower()
    return next((field for word, field in known if word in lower), default)


@login_required
def measure_form(request, innovation_id, measure_id=None):
    innovation = _innovation(request, innovation_id, edit=True)
    measure = None
    if measure_id is not None:
        measure = innovation.measures.filter(pk=measure_id).first()
        if measure is None:
            raise Http404("No such measure")
    errors = []
    if request.method == "POST":
        fields = _measure_fields(request.POST)
        try:
            if measure is None:
                measure = actions.add_measure(innovation=innovation, by=request.user, **fields)
                messages.success(request, f"Measure {measure.name} added. Now enter its values.")
                return redirect("measure_values", innovation_id=innovation.pk,
                                measure_id=measure.pk)
            revision = request.POST.get("revision", "")
            actions.update_measure(measure=measure, by=request.user,
                                   revision=int(revision) if revision.isdigit() else None,
                                   **fields)
            messages.success(request, f"Measure {fields['name'].strip()} saved.")
            return redirect(reverse("innovation_evaluation",
                                    kwargs={"innovation_id": innovation.pk})
                            + f"#measure-{measure.pk}")
        except EditConflict as exc:  # shown with the revision now saved: sending again is
            errors = _errors(str(exc), "name")  # a deliberate overwrite
            fields["revision"] = innovation.measures.get(pk=measure.pk).revision
        except InvalidInput as exc:
            errors = _errors(str(exc), _field_of(str(exc), _MEASURE_FIELD_OF, "name"))
            fields["revision"] = request.POST.get("revision", "")
        values = fields
    else:
        values = present.measure_values_for_form(measure)
    return render(request, "innovations/evaluation_measure.html", {
        "innovation": innovation, "measure": measure, "values": values, "errors": errors,
        "kinds": MeasureKind.choices,
        "breadcrumbs": _evaluation_crumbs(innovation),
        "title": "Edit measure" if measure else "Add a measure"})


@login_required
def measure_values(request, innovation_id, measure_id):
    innovation = _innovation(request, innovation_id, edit=True)
    measure = innovation.measures.filter(pk=measure_id).first()
    if measure is None:
        raise Http404("No such measure")
    errors, row_problems, values = [], [], {"on": "", "value": "", "note": ""}
    if request.method == "POST":
        if request.POST.get("form") == "file":
            upload = request.FILES.get("file")
            if upload is None:
                errors = _errors("Choose a CSV file of values", "file")
            elif upload.size > MAX_UPLOAD:
                errors = _errors("The file is larger than 5 MB", "file")
            else:
                parsed = values_csv.parse_values(upload.read())
                if parsed.problems:
                    errors = _errors(f"The file has {len(parsed.problems)} "
                                     f"problem{'s' if len(parsed.problems) != 1 else ''}; "
                                     "nothing was stored", "file")
                    row_problems = parsed.problems
                else:
                    return _store_values(request, innovation, measure, parsed.rows, "file")
        else:
            values = {k: request.POST.get(k, "").strip() for k in ("on", "value", "note")}
            on = values_csv.parse_date(values["on"])
            number = values_csv.parse_number(values["value"])
            if on is None:
                errors += _errors("Enter the date as 2025-01-31 or 31/01/2025", "on")
            if number is None:
                errors += _errors("Enter the value as a number", "value")
            if len(values["note"]) > values_csv.MAX_NOTE:
                errors += _errors(f"The note must be {values_csv.MAX_NOTE} characters or fewer",
                                  "note")
            if not errors:
                return _store_values(request, innovation, measure,
                                     [values_csv.ValueRow(on, number, values["note"])], "form")
    return render(request, "innovations/evaluation_values.html", {
        "innovation": innovation, "measure": measure, "errors": errors,
        "row_problems": row_problems, "values": values,
        "existing": list(measure.values.all()),
        "breadcrumbs": _evaluation_crumbs(innovation)})


def _store_values(request, innovation, measure, rows, channel):
    try:
        outcome = actions.record_values(measure=measure, rows=rows, by=request.user,
                                        channel=channel)
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("measure_values", innovation_id=innovation.pk, measure_id=measure.pk)
    messages.success(request, present.values_recorded(outcome))
    return redirect(reverse("innovation_evaluation", kwargs={"innovation_id": innovation.pk})
                    + f"#measure-{measure.pk}")


@login_required
@require_POST
def measure_delete(request, innovation_id, measure_id):
    innovation = _innovation(request, innovation_id, edit=True)
    measure = innovation.measures.filter(pk=measure_id).first()
    if measure is None:
        raise Http404("No such measure")
    actions.delete_measure(measure=measure, by=request.user)
    messages.success(request, f"Measure {measure.name} and its values deleted.")
    return redirect("innovation_evaluation", innovation_id=innovation.pk)


@login_required
@require_POST
def value_remove(request, innovation_id, measure_id, value_id):
    innovation = _innovation(request, innovation_id, edit=True)
    value = (MeasureValue.objects.select_related("measure__innovation")
             .filter(pk=value_id, measure_id=measure_id, measure__innovation=innovation).first())
    if value is None:
        raise Http404("No such value")
    actions.remove_value(value=value, by=request.user)
    messages.success(request, f"The value for {value.on:%d %b %Y} removed.")
    return redirect("measure_values", innovation_id=innovation.pk, measure_id=measure_id)


@login_required
@require_POST
def feedback_remove(request, innovation_id, feedback_id):
    innovation = _innovation(request, innovation_id, edit=True)
    found = innovation.feedback.filter(pk=feedback_id).first()
    if found is None:
        raise Http404("No such comment")
    actions.remove_feedback(feedback=found, by=request.user)
    messages.success(request, "Comment removed.")
    return redirect(reverse("innovation_evaluation", kwargs={"innovation_id": innovation.pk})
                    + f"#feedback-{found.source}")


@login_required
def feedback_add(request, innovation_id):
    innovation = _innovation(request, innovation_id, edit=True)
    errors, values = [], {"source": request.GET.get("source", ""), "lines": "", "column": "",
                          "respondent": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("source", "lines", "column", "respondent")}
        upload = request.FILES.get("file")
        if values["source"] not in FeedbackSource.values:
            errors = _errors("Choose who the feedback is from", "source")
        elif upload is not None:
            comments = feedback_file.from_file(upload.name, upload.read(),
                                               column=values["column"])
            field, channel = "file", "import"
        else:
            comments = feedback_file.from_lines(values["lines"])
            field, channel = "lines", "form"
        if not errors and comments.problem:
            errors = _errors(comments.problem, field)
        if not errors:
            try:
                made = actions.add_feedback(innovation=innovation, source=values["source"],
                                            texts=comments.texts, by=request.user,
                                            channel=channel, respondent=values["respondent"],
                                            collected_on=timezone.localdate())
            except InvalidInput as exc:
                errors = _errors(str(exc), field)
            else:
                messages.success(request, f"{len(made)} comment{'s' if len(made) != 1 else ''} "
                                 "added.")
                return redirect(reverse("innovation_evaluation",
                                        kwargs={"innovation_id": innovation.pk})
                                + f"#feedback-{values['source']}")
    return render(request, "innovations/evaluation_feedback.html", {
        "innovation": innovation, "errors": errors, "values": values,
        "sources": FeedbackSource.choices, "breadcrumbs": _evaluation_crumbs(innovation)})


@login_required
def surveys(request, innovation_id):
    innovation = _innovation(request, innovation_id, edit=True)
    errors, link = [], None
    values = {"source": "", "question": "", "second_question": "", "ask_rating": "yes"}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            _, token = actions.open_survey(
                innovation=innovation, source=values["source"], question=values["question"],
                second_question=values["second_question"],
                ask_rating=values["ask_rating"] == "yes", by=request.user)
        except InvalidInput as exc:
            errors = _errors(str(exc), "question" if "question" in str(exc) else "source")
        else:
            link = request.build_absolute_uri(reverse("survey_answer", kwargs={"token": token}))
            values = {"source": "", "question": "", "second_question": "", "ask_rating": "yes"}
    return render(request, "innovations/evaluation_surveys.html", {
        "innovation": innovation, "errors": errors, "values": values, "link": link,
        "surveys": innovation.surveys.all(), "sources": FeedbackSource.choices,
        "breadcrumbs": _evaluation_crumbs(innovation)})


@login_required
@require_POST
def survey_toggle(request, innovation_id, survey_id):
    innovation = _innovation(request, innovation_id, edit=True)
    survey = innovation.surveys.filter(pk=survey_id).first()
    if survey is None:
        raise Http404("No such survey")
    is_open = request.POST.get("open") == "yes"
    actions.set_survey_open(survey=survey, is_open=is_open, by=request.user)
    messages.success(request, "Survey reopened: its link works again." if is_open
                     else "Survey closed: its link no longer works.")
    return redirect("innovation_surveys", innovation_id=innovation.pk)


# The survey by link (no sign-in) ------------------------------------------------------------


def _survey(token: str) -> FeedbackSurvey:
    survey = actions.survey_for_token(token)
    if survey is None:
        raise Http404("This survey link does not work: it may have been closed")
    return survey


def survey_answer(request, token):
    survey = _survey(token)
    errors, values = [], {"answer": "", "second_answer": "", "rating": "", "role": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        if request.POST.get("website"):  # the honeypot: people never see or fill it
            return redirect("survey_thanks", token=token)
        try:
            actions.answer_survey(survey=survey, answer=values["answer"],
                                  second_answer=values["second_answer"],
                                  rating=values["rating"], role=values["role"],
                                  sender=request.META.get("REMOTE_ADDR", ""))
        except actions.TooManyAnswers as exc:
            return render(request, "innovations/survey_thanks.html",
                          {"survey": survey, "message": str(exc)}, status=429)
        except InvalidInput as exc:
            field = "rating" if "rating" in str(exc) else (
                "role" if "role" in str(exc) else (
                    "second_answer" if "second" in str(exc) else "answer"))
            errors = _errors(str(exc), field)
        except NotAllowed as exc:
            raise Http404(str(exc)) from None
        else:
            return redirect("survey_thanks", token=token)
    return render(request, "innovations/survey.html", {
        "survey": survey, "errors": errors, "values": values,
        "ratings": [str(n) for n in range(1, 6)]})


def survey_thanks(request, token):
    survey = _survey(token)
    return render(request, "innovations/survey_thanks.html", {"survey": survey, "message": ""})


# Decision ---------------------------------------------------------------------------------


@login_required
def decision(request, innovation_id):
    innovation = _innovation(request, innovation_id)
    may_edit = queries.may_edit(request.user, innovation)
    frameworks = queries.frameworks_for(innovation.organisation_id)
    errors, values = [], {"outcome": "", "rationale": "", "scores": {}}
    chosen_id = request.GET.get("framework") or request.POST.get("framework", "")
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("You may not decide on this innovation")
        if not frameworks:
            frameworks = [actions.default_framework(by=request.user)]
        framework = next((f for f in frameworks if str(f.pk) == chosen_id), frameworks[0])
        scores = {c["key"]: {"score": request.POST.get(f"score-{c['key']}", ""),
                             "note": request.POST.get(f"note-{c['key']}", "")}
                  for c in framework.criteria}
        values = {"outcome": request.POST.get("outcome", ""),
                  "rationale": request.POST.get("rationale", ""), "scores": scores}
        try:
            actions.decide(innovation=innovation, outcome=values["outcome"],
                           rationale=values["rationale"], framework=framework, scores=scores,
                           by=request.user)
        except InvalidInput as exc:
            message = str(exc)
            key = next((c["key"] for c in framework.criteria if c["label"] in message), None)
            field = (f"score-{key}" if key and "score" in message else f"note-{key}" if key
                     else "outcome" if "Choose" in message else "rationale")
            errors = _errors(message, field)
        else:
            messages.success(request, "Decision recorded.")
            return redirect(reverse("innovation_decision",
                                    kwargs={"innovation_id": innovation.pk}) + "#history")
    framework = next((f for f in frameworks if str(f.pk) == chosen_id),
                     frameworks[0] if frameworks else None)
    return render(request, "innovations/decision.html", {
        "innovation": innovation, "may_edit": may_edit, "errors": errors, "values": values,
        "frameworks": frameworks, "framework": framework,
        "criteria": framework.criteria if framework else actions.DEFAULT_CRITERIA,
        "outcomes": DecisionOutcome.choices, "scores": [str(n) for n in range(6)],
        "history": present.decision_history(queries.decisions(innovation)),
        "breadcrumbs": _crumbs(innovation)})


@login_required
def framework_form(request, innovation_id, framework_id=None):
    innovation = _innovation(request, innovation_id, edit=True)
    organisation = Organisation.objects.get(pk=innovation.organisation_id)
    framework = None
    if framework_id is not None:
        framework = next((f for f in queries.frameworks_for(innovation.organisation_id)
                          if f.pk == framework_id and f.organisation_id == organisation.pk), None)
        if framework is None:
            raise Http404("No such framework of this organisation")
    errors = []
    if request.method == "POST":
        name = request.POST.get("name", "")
        criteria = present.criteria_from_post(request.POST)
        revision = request.POST.get("revision", "")
        try:
            saved = actions.save_framework(
                organisation=organisation, name=name, criteria=criteria, by=request.user,
                framework=framework, revision=int(revision) if revision.isdigit() else None)
        except (InvalidInput, EditConflict) as exc:
            errors = _errors(str(exc), "name" if "name" in str(exc) or "called" in str(exc)
                             else "label-1")
            values = {"name": name, "criteria": present.criteria_rows(criteria)}
        else:
            messages.success(request, f"Framework {saved.name} saved.")
            return redirect(reverse("innovation_decision",
                                    kwargs={"innovation_id": innovation.pk})
                            + f"?framework={saved.pk}")
    else:
        base = framework.criteria if framework else actions.DEFAULT_CRITERIA
        values = {"name": framework.name if framework else "",
                  "criteria": present.criteria_rows(base)}
    return render(request, "innovations/decision_framework.html", {
        "innovation": innovation, "organisation": organisation, "framework": framework,
        "values": values, "errors": errors,
        "breadcrumbs": _crumbs(innovation, ("Decision", reverse(
            "innovation_decision", kwargs={"innovation_id": innovation.pk})))})


# Spread -----------------------------------------------------------------------------------


@login_required
def spread(request, innovation_id):
    innovation = _innovation(request, innovation_id)
    may_record = queries.may_edit(request.user, innovation)
    errors, values = [], {"organisation": "", "status": "", "note": ""}
    tree = OrgTree.shared()
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        org_id = values["organisation"]
        organisation = (Organisation.objects.filter(pk=int(org_id)).first()
                        if org_id.isdigit() else None)
        if organisation is None:
            errors = _errors("Choose the organisation from the list", "organisation")
        else:
            try:
                _, created = actions.record_adoption(
                    innovation=innovation, organisation=organisation, status=values["status"],
                    note=values["note"], by=request.user)
            except InvalidInput as exc:
                errors = _errors(str(exc), "status" if "Choose" in str(exc) else "organisation")
            except NotAllowed as exc:
                raise PermissionDenied(str(exc)) from None
            else:
                messages.success(request, f"{organisation.name}: adoption "
                                 f"{'recorded' if created else 'updated'}.")
                return redirect(reverse("innovation_spread",
                                        kwargs={"innovation_id": innovation.pk}) + "#adoptions")
    return render(request, "innovations/spread.html", {
        "innovation": innovation, "may_record": may_record, "errors": errors, "values": values,
        "adoptions": queries.adoptions(innovation),
        "organisations": present.organisation_items(
            tree, queries.adoptable_organisations(innovation), values["organisation"]),
        "statuses": AdoptionStatus.choices,
        "similar": queries.similar_practice(request.user, innovation),
        "breadcrumbs": _crumbs(innovation)})


@login_required
@require_POST
def adoption_remove(request, innovation_id, adoption_id):
    innovation = _innovation(request, innovation_id)
    adoption = innovation.adoptions.select_related("organisation").filter(pk=adoption_id).first()
    if adoption is None:
        raise Http404("No such adoption")
    try:
        actions.remove_adoption(adoption=adoption, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, f"{adoption.organisation.name}: adoption removed.")
    return redirect(reverse("innovation_spread", kwargs={"innovation_id": innovation.pk})
                    + "#adoptions")


@login_required
def region_spread(request):
    """The region's spread: a page of innovations with their adoptions, and the map of the
    organisations that logged or adopted any (counted in the database and drawn once per
    scope, area and data version: :mod:`stocktake.track.versions`)."""
    tree = OrgTree.shared()
    scope = innovation_scope(request.user)
    areas = queries.spread_areas(request.user)
    chosen = request.GET.get("organisation", "")
    area = next((a for a in areas if str(a.id) == chosen), None)
    shown = queries.region_innovations(request.user, scope=scope,
                                       organisation_id=area.id if area else None)
    version = registers_version()
    key = key_of("spread", scope.key, area.id if area else "")
    paginator = Paginator(IdsFirst(shown, version=version, key=key, rows=shown),
                          queries.SPREAD_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    innovations = list(page.object_list)
    base = reverse("innovations_spread")
    return render(request, "innovations/spread_region.html", {
        "area": area,
        "areas": present.organisation_items(tree, areas, chosen, empty="Everywhere you can see"),
        "rows": present.spread_rows(innovations, queries.adoptions_of(i.pk for i in innovations),
                                    tree),
        "total": paginator.count, "page": page,
        "pagination": pagination(page, base=base, params={"organisation": chosen} if area
                                 else {}),
        "map_html": kept(("spread map", key, version, tree.version), lambda: Markup(
            render_to_string("innovations/_spread_map.html", {
                "tree": present.adoption_tree(queries.spread_counts(shown), tree),
                "register": reverse("innovations")}))),
        "breadcrumbs": _crumbs()})
