"""The report's examples and case studies (leads and reviewers: ``edit_report``; 404 otherwise).

The best-practice examples as the report will print them, by domain, with filters and
possible duplicates; curation (exclude with a reason, include again, merge, unmerge) goes
through :mod:`stocktake.collect.actions`; the title and synopsis are edited on the
existing correction page (``corrections.example_edit``). Case studies are added, edited,
given consent, excluded and reordered through :mod:`stocktake.report.actions.appendix`.
Marking a finding as an example starts on the finding's page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stocktake.assess.counts import data_version
from stocktake.collect import actions as collect_actions
from stocktake.collect.form_findings import example_title
from stocktake.collect.models import Example
from stocktake.collect.personal_data import awaits_lead, hide_flagged, shown_copy
from stocktake.core.errors import StocktakeError
from stocktake.report import appendix
from stocktake.report.actions import appendix as case_actions
from stocktake.report.models import CaseStudy
from stocktake.web.kept import kept
from stocktake.web.presenters import appendix as present
from stocktake.web.presenters.findings import pagination
from stocktake.web.presenters.report_nav import report_menu
from stocktake.web.views.base import ReviewPage, organisation_tree, review_page
from stocktake.web.views.corrections import chosen_organisation, organisation_items, selected
from stocktake.web.views.findings import finding_page, first_if_below, scoped_finding

URL_NAME = "report_appendix"


def _page(request, slug, *, title: str | None = None) -> ReviewPage:
    """A page of the appendix; ``title``: a page below it (its breadcrumbs lead back)."""
    trail = [("Report", reverse("review_report", kwargs={"slug": slug}))]
    if title:
        trail.append(("Examples and case studies", reverse(URL_NAME, kwargs={"slug": slug})))
    page = review_page(request, slug, current="review_report", trail=trail)
    if not page.access.has("edit_report"):
        raise Http404("No such page")
    return page


def _back(slug, anchor: str = ""):
    return redirect(reverse(URL_NAME, kwargs={"slug": slug}) + anchor)


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _duplicate_pairs(review, examples, tree):
    """Likely duplicates among ``examples`` (raw text), kept until the review's data change."""
    return kept(("example duplicates", review.pk, data_version(review), tree.version)
                if tree.version is not None else None,
                lambda: appendix.likely_duplicates(examples, tree))


@login_required
def report_appendix(request, slug):
    page = _page(request, slug)
    review, access, tree = page.review, page.access, organisation_tree()
    examples = appendix.appendix_examples(review, tree)
    pairs = _duplicate_pairs(review, examples, tree)
    duplicates = appendix.duplicates_by_example(pairs)
    hide_flagged(examples, access)  # shown only: never saved
    by_id = {e.pk: e for e in examples}

    domains = list(review.framework.domains.all())
    systems = sorted({(tree.system_name(e.organisation_id), s.pk) for e in examples
                      if (s := tree.system_of(e.organisation_id)) is not None})
    chosen = {"domain": _int(request.GET.get("domain")), "system": _int(request.GET.get("system")),
              "duplicates": request.GET.get("duplicates") == "1"}
    shown = [e for e in examples
             if (chosen["domain"] is None or e.domain_id == chosen["domain"])
             and (chosen["system"] is None or _system_id(tree, e) == chosen["system"])
             and (not chosen["duplicates"] or e.pk in duplicates)]
    results = Paginator(shown, present.PAGE_SIZE).get_page(first_if_below(request.GET.get("page")))
    on_page = list(results.object_list)
    merged = appendix.merged_into(review, [e.pk for e in on_page])
    hide_flagged([m for ms in merged.values() for m in ms], access)
    base = reverse(URL_NAME, kwargs={"slug": slug})
    params = {"domain": chosen["domain"], "system": chosen["system"],
              "duplicates": "1" if chosen["duplicates"] else None}
    studies = hide_flagged(CaseStudy.objects.visible_to(access).select_related("consent_recorded_by")
                           .order_by("position", "id"), access)
    left_out_all = appendix.left_out_examples(review)
    left_out_count = left_out_all.count()
    left_out = hide_flagged(list(left_out_all[:present.LEFT_OUT_SHOWN]), access)
    return render(request, "reports/appendix.html", page.context(
        report_pages=report_menu(review, access, URL_NAME),
        groups=present.example_groups(on_page, slug=slug, tree=tree, merged=merged,
                                      duplicates=duplicates, by_id=by_id),
        total=len(examples), shown=len(shown), pair_count=len(pairs),
        filtered=any(params.values()),
        pagination=pagination(results, base=base, params=params),
        domain_items=_items(((d.pk, d.name) for d in domains), chosen["domain"], "Any domain"),
        system_items=_items(((pk, name) for name, pk in systems), chosen["system"], "Any system"),
        duplicates_only=chosen["duplicates"],
        left_out=present.left_out_rows(left_out, tree=tree), left_out_count=left_out_count,
        case_studies=present.case_study_rows(studies, tree=tree),
    ))


def _system_id(tree, example) -> int | None:
    system = tree.system_of(example.organisation_id)
    return system.pk if system is not None else None


def _items(choices, current, any_label: str) -> list[dict]:
    items = [{"value": "", "text": any_label, "selected": current is None}]
    items += [{"value": str(pk), "text": name, "selected": pk == current} for pk, name in choices]
    return items


def _example(page: ReviewPage, example_id) -> Example:
    return get_object_or_404(Example.objects.visible_to(page.access), pk=example_id)


# -- examples: exclude, include, merge, unmerge ----------------------------------------------

@login_required
def example_exclude(request, slug, example_id):
    page = _page(request, slug, title="Leave an example out")
    example = _example(page, example_id)
    reason, errors = "", []
    revision = example.revision
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        revision = _int(request.POST.get("revision"))
        try:
            collect_actions.exclude_example(example=example, reason=reason, by=request.user,
                                            expected_revision=revision)
        except StocktakeError as exc:
            errors = [{"text": str(exc), "href": "#reason"}]
        else:
            messages.success(request, f"Example {example.pk} left out of the report.")
            return _back(slug, "#examples")
    hide_flagged([example], page.access)
    return render(request, "reports/appendix_exclude.html", page.context(
        example=example, reason=reason, revision=revision, errors=errors),
        status=400 if errors else 200)


@login_required
@require_POST
def example_include(request, slug, example_id):
    page = _page(request, slug)
    example = _example(page, example_id)
    try:
        collect_actions.include_example(example=example, by=request.user,
                                        expected_revision=_int(request.POST.get("revision")))
    except StocktakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Example {example.pk} is back in the report.")
    return _back(slug, "#left-out")


@login_required
@require_POST
def example_unmerge(request, slug, example_id):
    page = _page(request, slug)
    example = _example(page, example_id)
    try:
        collect_actions.unmerge_example(example=example, by=request.user)
    except StocktakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Example {example.pk} stands on its own again.")
    return _back(slug, "#examples")


@login_required
def example_merge(request, slug):
    """Confirm a merge: the examples named by ``ids``, and which one stays."""
    page = _page(request, slug, title="Merge examples")
    source = request.POST if request.method == "POST" else request.GET
    ids = sorted({i for i in (_int(v) for v in source.getlist("ids")) if i is not None})
    examples = list(Example.objects.visible_to(page.access).filter(pk__in=ids)
                    .select_related("domain", "organisation").order_by("id"))
    errors = []
    if len(examples) < 2:
        messages.error(request, "Choose two or more examples to merge.")
        return _back(slug, "#examples")
    keep_id = _int(source.get("keep"))
    if request.method == "POST":
        keep = next((e for e in examples if e.pk == keep_id), None)
        revisions = {e.pk: _int(source.get(f"revision-{e.pk}")) for e in examples}
        if keep is None:
            errors = [{"text": "Choose the example that stays", "href": f"#keep-{examples[0].pk}"}]
        else:
            try:
                collect_actions.merge_examples(
                    keep=keep, duplicates=[e for e in examples if e.pk != keep.pk],
                    by=request.user,
                    expected_revisions={k: v for k, v in revisions.items() if v is not None})
            except StocktakeError as exc:
                errors = [{"text": str(exc), "href": f"#keep-{examples[0].pk}"}]
            else:
                messages.success(request, f"{len(examples)} examples merged into one: the "
                                          "report prints it once, naming every organisation.")
                return _back(slug, "#examples")
    hide_flagged(examples, page.access)
    tree = organisation_tree()
    return render(request, "reports/appendix_merge.html", page.context(
        examples=[{"example": e, "organisation": tree.name(e.organisation_id, missing="Not recorded"),
                   "system": tree.system_name(e.organisation_id) or "Not in a system",
                   "checked": e.pk == keep_id} for e in examples],
        errors=errors), status=400 if errors else 200)


# -- marking a finding as an example (from the finding's page) -------------------------------

@login_required
def finding_mark_example(request, slug, finding_id):
    page = finding_page(request, slug)
    if not page.access.has("edit_report"):
        raise Http404("No such page")
    finding = scoped_finding(page, finding_id, related=("organisation",))
    hide_flagged([finding], page.access)  # the form offers what this person may see
    title, synopsis, errors = example_title(finding.text), finding.text, []
    if request.method == "POST":
        title, synopsis = request.POST.get("title", ""), request.POST.get("synopsis", "")
        try:
            example = collect_actions.example_from_finding(finding=finding, title=title,
                                                           synopsis=synopsis, by=request.user)
        except StocktakeError as exc:
            errors = [{"text": str(exc), "href": "#title"}]
        else:
            messages.success(request, f"Example “{example.title}” added to the report's "
                                      "best-practice appendix.")
            return redirect("finding", slug=slug, finding_id=finding.pk)
    already = list(Example.objects.visible_to(page.access).filter(finding=finding)
                   .order_by("id").values_list("title", flat=True))
    return render(request, "findings/mark_example.html", page.context(
        finding=finding, title=title, synopsis=synopsis, errors=errors, already=already),
        status=400 if errors else 200)


# -- case studies ------------------------------------------------------------------------------

def _study(page: ReviewPage, study_id) -> CaseStudy:
    return get_object_or_404(CaseStudy.objects.visible_to(page.access), pk=study_id)


def _field_error(exc, default: str) -> list[dict]:
    return [{"text": str(exc), "href": f"#{getattr(exc, 'field', default)}"}]


@login_required
def case_study_form(request, slug, study_id=None):
    """Add a case study (no ``study_id``) or edit one."""
    page = _page(request, slug, title="Case study")
    study = _study(page, study_id) if study_id is not None else None
    if study is not None and awaits_lead(page.access, study):
        messages.error(request, f"“{shown_copy(study, page.access).title}” holds possible personal "
                                "data awaiting a lead's decision; only a lead can edit it until then.")
        return _back(slug, "#case-studies")
    organisations = organisation_items(page.review, study.organisation if study else None)
    values = {"title": study.title if study else "", "person": study.person if study else "",
              "text": study.text if study else ""}
    revision, errors = (study.revision if study else 0), []
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        revision = _int(request.POST.get("revision"))
        try:
            organisation = chosen_organisation(request.POST, organisations,
                                               study.organisation if study else None)
            if study is None:
                study = case_actions.add_case_study(review=page.review, by=request.user,
                                                    organisation=organisation, **values)
                messages.success(request, f"Case study “{study.title}” added. Record consent "
                                          "before it can appear in the report.")
            else:
                case_actions.update_case_study(study=study, by=request.user,
                                               expected_revision=revision,
                                               organisation=organisation, **values)
                messages.success(request, f"Case study “{values['title'].strip()}” saved.")
        except ValueError as exc:
            errors = [{"text": str(exc), "href": "#organisation"}]
        except StocktakeError as exc:
            errors = _field_error(exc, "title")
        else:
            return _back(slug, "#case-studies")
    return render(request, "reports/case_study_form.html", page.context(
        study=study, values=values, revision=revision, errors=errors,
        organisations=selected(organisations, request.POST.get("organisation"))),
        status=400 if errors else 200)


@login_required
def case_study_consent(request, slug, study_id):
    """Record how consent was given (or withdraw it)."""
    page = _page(request, slug, title="Consent")
    study = _study(page, study_id)
    note, errors = "", []
    if request.method == "POST":
        try:
            if request.POST.get("withdraw"):
                case_actions.withdraw_consent(study=study, by=request.user)
                messages.success(request, f"Consent withdrawn: “{study.title}” is no longer "
                                          "in the report.")
            else:
                note = request.POST.get("note", "")
                case_actions.record_consent(study=study, note=note, by=request.user,
                                            expected_revision=_int(request.POST.get("revision")))
                messages.success(request, f"Consent recorded for “{study.title}”.")
        except StocktakeError as exc:
            errors = _field_error(exc, "note")
        else:
            return _back(slug, "#case-studies")
    return render(request, "reports/case_study_consent.html", page.context(
        study=study, consent=present.consent_text(study), note=note, errors=errors),
        status=400 if errors else 200)


@login_required
@require_POST
def case_study_exclude(request, slug, study_id):
    page = _page(request, slug)
    study = _study(page, study_id)
    excluded = request.POST.get("excluded") == "1"
    case_actions.set_case_study_excluded(study=study, excluded=excluded, by=request.user)
    messages.success(request, f"“{study.title}” " + ("left out of the report." if excluded
                                                     else "is back in the report's list."))
    return _back(slug, "#case-studies")


@login_required
@require_POST
def case_study_move(request, slug, study_id):
    page = _page(request, slug)
    study = _study(page, study_id)
    offset = -1 if request.POST.get("direction") == "up" else 1
    case_actions.move_case_study(study=study, offset=offset, by=request.user)
    messages.success(request, f"“{study.title}” moved {'up' if offset < 0 else 'down'}.")
    return _back(slug, "#case-studies")
