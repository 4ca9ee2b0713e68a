"""Stocktake cycles: the list and the lead's "start a cycle", a cycle's page (owners'
progress, the comparison side by side, exports, the stocktake report), the lead's
requests and reminders, an owner's items, and following an owner's personal link.

Who sees what is :func:`stocktake.track.cycle_compare.cycles_visible_to` and
``entries_visible_to``: leads and reviewers everything; action owners their
organisation's items; viewers closed cycles; contributors nothing (403).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from markupsafe import Markup

from stocktake.core.errors import InvalidInput, StocktakeError
from stocktake.reviews.models import Organisation, Role
from stocktake.track import actions as track_actions
from stocktake.track import cycle_requests
from stocktake.track.cycle_compare import (
    Filters,
    cycles_visible_to,
    owned_only,
)
from stocktake.track.cycle_export import comparison_csv, comparison_xlsx
from stocktake.track.cycle_queries import (
    cached_compare,
    cached_owner_progress,
    choose_before,
    compare,
    find_cycle,
    owner_entries,
    owner_progress_key,
    systems_of,
)
from stocktake.track.stocktake_report import (
    build_stocktake,
    render_stocktake_docx,
    render_stocktake_html,
    render_stocktake_pdf,
)
from stocktake.web.kept import kept
from stocktake.web.presenters import cycles as present
from stocktake.web.presenters.links import with_query
from stocktake.web.views.base import review_page
from stocktake.web.views.register import LINK_SESSION_KEY

TAB = "recommendations"


def _may_see_cycles(access) -> bool:
    return (access.has("view_all_submitted") or bool(access.own_organisations(Role.ACTION_OWNER))
            or (access.published and Role.VIEWER in access.roles))


def _page(request, slug, trail=()):
    page = review_page(request, slug, current=TAB, trail=trail)
    if not _may_see_cycles(page.access):
        raise PermissionDenied("Stocktake cycles are for the review team, action owners and "
                               "viewers")
    return page


def _cycles_url(slug):
    return reverse("cycles", kwargs={"slug": slug})


def _cycle_url(slug, number):
    return reverse("cycle", kwargs={"slug": slug, "number": number})


def _date(value: str, label: str) -> dt.date:
    if not value.strip():
        raise InvalidInput(f"Enter {label}")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"Enter {label} as a date, for example 2027-03-31") from None


def _optional_date(value: str, label: str) -> dt.date | None:
    return _date(value, label) if value.strip() else None


def _date_at_fault(dates: dict) -> str:
    """Which field a refusal of these dates is about ("" when none is)."""
    opens, deadline, reminders = (dates.get("opens_on"), dates.get("deadline"),
                                  dates.get("reminders_from"))
    if opens and deadline and deadline < opens:
        return "deadline"
    if reminders and ((opens and reminders < opens) or (deadline and reminders > deadline)):
        return "reminders_from"
    return ""


@login_required
def cycles_list(request, slug):
    page = _page(request, slug)
    review, access = page.review, page.access
    visible = cycles_visible_to(access, review)
    may_start = access.has("manage_review")
    errors, typed = [], {"title": "", "opens_on": "", "deadline": "", "reminders_from": "",
                         "note": ""}
    if request.method == "POST":
        page.require("manage_review")
        typed = {k: request.POST.get(k, "") for k in typed}
        field = "title"
        try:
            dates = {}
            for field, label in (("opens_on", "the date it opens"), ("deadline", "the deadline")):
                dates[field] = _date(typed[field], label)
            field = "reminders_from"
            dates["reminders_from"] = _optional_date(typed["reminders_from"],
                                                     "the date reminders start")
            field = _date_at_fault(dates) or "title"
            cycle = track_actions.start_cycle(review=review, title=typed["title"],
                                              note=typed["note"], by=request.user, **dates)
        except StocktakeError as exc:
            errors = [{"text": str(exc), "href": f"#{field}"}]
        else:
            messages.success(request, f"Cycle {cycle.number} started: every recommendation and "
                                      "innovation was carried over. Send the owners their "
                                      "requests next.")
            return redirect(_cycle_url(slug, cycle.number))
    response = render(request, "cycles/list.html", page.context(
        cycles=present.cycle_rows(visible, lambda n: _cycle_url(slug, n)),
        may_start=may_start and review.is_published, published=review.is_published,
        has_open=visible.filter(status="open").exists(), errors=errors, typed=typed))
    if errors:
        response.status_code = 400
    return response


def _filters(request) -> Filters:
    def number(name):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    return Filters(theme=number("theme"), system=number("system"),
                   status=request.GET.get("status", "")[:20],
                   outcome=request.GET.get("outcome", "")[:20],
                   changed=request.GET.get("changed") == "1")


def _cycle_and_side(page, number, before):
    visible = cycles_visible_to(page.access, page.review)
    cycle = find_cycle(visible, number)
    if cycle is None:
        raise Http404("No such cycle")
    return cycle, choose_before(cycle, visible, before), visible


@login_required
def cycle_page(request, slug, number):
    page = _page(request, slug, trail=[("Stocktake cycles", _cycles_url(slug))])
    review, access = page.review, page.access
    try:
        cycle, before, visible = _cycle_and_side(page, number, request.GET.get("before"))
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect(_cycle_url(slug, number))
    lead = access.has("manage_review")
    date_errors, dates_typed = [], {
        "deadline": cycle.deadline.isoformat(),
        "reminders_from": cycle.reminders_from.isoformat() if cycle.reminders_from else ""}
    if request.method == "POST":
        page.require("manage_review")
        dates_typed = {k: request.POST.get(k, "") for k in dates_typed}
        field = "deadline"
        try:
            dates = {"opens_on": cycle.opens_on,
                     "deadline": _date(dates_typed["deadline"], "the deadline")}
            field = "reminders_from"
            dates["reminders_from"] = _optional_date(dates_typed["reminders_from"],
                                                     "the date reminders start")
            field = _date_at_fault(dates) or "deadline"
            track_actions.set_cycle_dates(cycle=cycle, deadline=dates["deadline"],
                                          reminders_from=dates["reminders_from"],
                                          by=request.user)
        except StocktakeError as exc:
            date_errors = [{"text": str(exc), "href": f"#{field}"}]
        else:
            messages.success(request, f"The dates of cycle {cycle.number} were saved.")
            return redirect(_cycle_url(slug, cycle.number) + "#dates")
    filters = _filters(request)
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    comparison = cached_compare(access, cycle, before, filters, page=page_number)
    themes = {t.pk: t.name for t in review.framework.themes.all()}
    systems = systems_of(review)
    owners_html = (_owners_html(request, page, cycle, lead=lead)
                   if access.has("view_all_submitted") else "")
    params = {"before": request.GET.get("before", ""), "theme": filters.theme or "",
              "system": filters.system or "", "status": filters.status,
              "outcome": filters.outcome, "changed": "1" if filters.changed else ""}
    base = _cycle_url(slug, cycle.number)
    pages = {
        "previous_href": with_query(base, {**params, "page": comparison.page - 1})
        if comparison.page and comparison.page > 1 else "",
        "next_href": with_query(base, {**params, "page": comparison.page + 1})
        if comparison.page and comparison.page < comparison.pages else ""}

    def draw():
        return Markup(render_to_string("cycles/_comparison.html", {
            "comparison": comparison, "before": before, "filters": filters, **pages,
            "rec_rows": present.recommendation_rows(
                comparison.recommendations,
                href=lambda i: reverse("register_recommendation",
                                       kwargs={"slug": slug, "rec_id": i.recommendation_id})),
            "innovation_rows": present.innovation_rows(
                comparison.innovations,
                href=lambda i: reverse("innovation_evaluation",
                                       kwargs={"innovation_id": i.innovation_id})),
            "by_theme": present.status_matrix(comparison.themes, themes, unnamed="No theme"),
            "by_system": present.status_matrix(comparison.systems,
                                               {s.id: s.name for s in systems},
                                               unnamed="No system"),
            "outcomes": present.outcome_rows(comparison.innovation_summary),
            "transitions": present.transitions(comparison.summary.transitions,
                                               present.status_label)}))

    response = render(request, "cycles/cycle.html", page.context(
        cycle=cycle, before=before, comparison=comparison, lead=lead,
        errors=date_errors, dates_typed=dates_typed,
        owned_only=owned_only(access) is not None,
        owners_html=owners_html,
        comparison_html=kept(("cycle", slug, comparison.key, tuple(pages.values()))
                             if comparison.key else None, draw),
        filters=filters,
        export_csv=with_query(reverse("cycle_export", kwargs={"slug": slug, "number": cycle.number,
                                                              "fmt": "csv"}), params),
        export_xlsx=with_query(reverse("cycle_export", kwargs={
            "slug": slug, "number": cycle.number, "fmt": "xlsx"}), params),
        report_html=with_query(reverse("cycle_report", kwargs={
            "slug": slug, "number": cycle.number, "fmt": "html"}), {"before": params["before"]}),
        report_pdf=with_query(reverse("cycle_report", kwargs={
            "slug": slug, "number": cycle.number, "fmt": "pdf"}), {"before": params["before"]}),
        report_docx=with_query(reverse("cycle_report", kwargs={
            "slug": slug, "number": cycle.number, "fmt": "docx"}), {"before": params["before"]}),
        side_items=_items([(0, "At publication")] + [(c.number, f"Cycle {c.number}: {c.title}")
                                                     for c in visible if c.number < cycle.number],
                          before.number),
        theme_items=_items(sorted(themes.items(), key=lambda kv: kv[1]), filters.theme, "Any"),
        system_items=_items([(s.id, s.name) for s in systems], filters.system, "Any"),
        status_items=_items([(s, present.STATUS_LABELS[s]) for s in present.STATUS_ORDER],
                            filters.status, "Any"),
        outcome_items=_items(list(present.OUTCOME_LABELS.items()), filters.outcome, "Any"),
    ))
    if date_errors:
        response.status_code = 400
    return response


# Where the kept owners' table takes this request's CSRF field (it holds a form per owner).
CSRF_SLOT = "<!--stocktake:csrf-->"


def _owners_html(request, page, cycle, *, lead: bool) -> Markup:
    """The owners' table and the lead's forms, drawn once per state of the cycle's entries
    and links, role and overdue state (hundreds of owner organisations), then given this
    request's CSRF field."""
    key = owner_progress_key(cycle)
    overdue = timezone.localdate() > cycle.deadline

    def draw():
        owners = present.owner_rows(cached_owner_progress(cycle, key), overdue=overdue)
        return render_to_string("cycles/_owners.html", {
            "owners": owners, "cycle": cycle, "review": page.review, "lead": lead,
            "answered": sum(1 for o in owners if o.state.startswith("Answered")),
            "organisation_items": [{"value": str(o.organisation_id), "text": o.name}
                                   for o in owners],
            "csrf_input": Markup(CSRF_SLOT)})

    drawn = kept(("cycle owners", key, lead, overdue), draw)
    return Markup(drawn.replace(CSRF_SLOT, str(csrf_input(request))) if CSRF_SLOT in drawn
                  else drawn)


def _items(pairs, chosen, blank: str = "") -> list[dict]:
    """Options for the NHS.UK select macro, ``chosen`` selected; ``blank`` first if given."""
    items = [{"value": "", "text": blank}] if blank else []
    return items + [{"value": str(value), "text": text,
                     "selected": str(value) == str(chosen)} for value, text in pairs]


def _full_comparison(request, slug, number, *, filtered: bool):
    page = _page(request, slug)
    try:
        cycle, before, _ = _cycle_and_side(page, number, request.GET.get("before"))
    except InvalidInput as exc:
        raise Http404(str(exc)) from None
    filters = _filters(request) if filtered else Filters()
    return page, compare(page.access, cycle, before, filters, page=None)


@login_required
def cycle_export(request, slug, number, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404("Exports are CSV or XLSX")
    page, comparison = _full_comparison(request, slug, number, filtered=True)
    name = f"{slug}-stocktake-{comparison.cycle.number}-vs-{comparison.before.number}"
    if fmt == "csv":
        response = HttpResponse(comparison_csv(comparison), content_type="text/csv; charset=utf-8")
    else:
        themes = {t.pk: t.name for t in page.review.framework.themes.all()}
        response = HttpResponse(
            comparison_xlsx(comparison, theme_names=themes),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def cycle_report(request, slug, number, fmt):
    if fmt not in ("html", "docx", "pdf"):
        raise Http404("The stocktake report is HTML, PDF or Word")
    page, comparison = _full_comparison(request, slug, number, filtered=False)
    owners = (cycle_requests.owner_progress(comparison.cycle)
              if page.access.has("view_all_submitted") else [])
    themes = {t.pk: t.name for t in page.review.framework.themes.all()}
    report = build_stocktake(comparison, theme_names=themes, owners=owners,
                             today=timezone.localdate())
    name = f"{slug}-stocktake-{comparison.cycle.number}"
    if fmt == "html":
        response = HttpResponse(render_stocktake_html(report), content_type="text/html; charset=utf-8")
    elif fmt == "pdf":
        try:
            response = HttpResponse(render_stocktake_pdf(report), content_type="application/pdf")
        except StocktakeError as exc:
            messages.error(request, str(exc))
            return redirect(_cycle_url(slug, comparison.cycle.number) + "#downloads")
    else:
        response = HttpResponse(
            render_stocktake_docx(report),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _lead_cycle(request, slug, number):
    page = review_page(request, slug, current=TAB, require="manage_review")
    cycle = find_cycle(cycles_visible_to(page.access, page.review), number)
    if cycle is None:
        raise Http404("No such cycle")
    return page, cycle


def _link_for(request):
    return lambda token: request.build_absolute_uri(reverse("cycle_link", kwargs={"token": token}))


def _report_sent(request, result, *, reminders: bool) -> None:
    what = "reminder" if reminders else "request"
    if result.sent:
        messages.success(request, f"{len(result.sent)} {what}{'s' if len(result.sent) != 1 else ''} "
                                  f"sent: {', '.join(result.sent)}.")
    else:
        messages.info(request, f"No {what}s were sent.")
    for names, why in ((result.no_contact, "no contact known yet: add one below"),
                       (result.stopped, "their links were stopped"),
                       (result.already, "asked recently" if reminders else "already asked")):
        if names:
            messages.info(request, f"Not sent to {', '.join(names)}: {why}.")
    for line in result.failed:
        messages.error(request, line)


@login_required
@require_POST
def cycle_send(request, slug, number):
    page, cycle = _lead_cycle(request, slug, number)
    try:
        result = cycle_requests.send_requests(cycle=cycle, by=request.user,
                                              link_for=_link_for(request))
    except StocktakeError as exc:
        messages.error(request, str(exc))
    else:
        _report_sent(request, result, reminders=False)
    return redirect(_cycle_url(slug, cycle.number) + "#owners")


@login_required
@require_POST
def cycle_remind(request, slug, number):
    page, cycle = _lead_cycle(request, slug, number)
    try:
        result = cycle_requests.remind(cycle=cycle, by=request.user, link_for=_link_for(request))
    except StocktakeError as exc:
        messages.error(request, str(exc))
    else:
        _report_sent(request, result, reminders=True)
    return redirect(_cycle_url(slug, cycle.number) + "#owners")


@login_required
@require_POST
def cycle_contact(request, slug, number):
    """Ask one owner organisation, naming its contact (a new personal link)."""
    page, cycle = _lead_cycle(request, slug, number)
    org_id = request.POST.get("organisation", "")
    organisation = (Organisation.objects.filter(pk=int(org_id)).first()
                    if org_id.isdigit() else None)
    try:
        if organisation is None:
            raise InvalidInput("Choose the organisation to ask")
        cycle_requests.send_one(cycle=cycle, organisation=organisation,
                                contact_name=request.POST.get("contact_name", ""),
                                email=request.POST.get("email", ""), by=request.user,
                                link_for=_link_for(request))
    except StocktakeError as exc:
        messages.error(request, str(exc), extra_tags="contact")
    else:
        messages.success(request, f"A personal link was sent to {organisation.name}.")
    return redirect(_cycle_url(slug, cycle.number) + "#owners")


@login_required
@require_POST
def cycle_stop(request, slug, number, org_id):
    page, cycle = _lead_cycle(request, slug, number)
    organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None:
        raise Http404("No such organisation")
    count = track_actions.revoke_organisation_links(cycle=cycle, organisation=organisation,
                                                    by=request.user)
    messages.success(request, f"{count} link{'s' if count != 1 else ''} for {organisation.name} "
                              "stopped working. No reminders go to them until you ask them again.")
    return redirect(_cycle_url(slug, cycle.number) + "#owners")


@login_required
@require_POST
def cycle_close(request, slug, number):
    page, cycle = _lead_cycle(request, slug, number)
    try:
        track_actions.close_cycle(cycle=cycle, by=request.user)
    except StocktakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Cycle {cycle.number} closed: its standing is kept as it is "
                                  "now, and its links no longer work.")
    return redirect(_cycle_url(slug, cycle.number))


@login_required
def cycle_mine(request, slug, number):
    """An owner's items in the cycle: where their personal link lands."""
    page = _page(request, slug, trail=[("Stocktake cycles", _cycles_url(slug))])
    cycle = find_cycle(cycles_visible_to(page.access, page.review), number)
    if cycle is None:
        raise Http404("No such cycle")
    entries = list(owner_entries(page.access, cycle))
    return render(request, "cycles/mine.html", page.context(
        cycle=cycle,
        recommendations=[e for e in entries if e.recommendation_id],
        innovations=[e for e in entries if e.innovation_id],
        status_label=present.status_label, rag_label=present.rag_label,
        outcome_label=present.outcome_label,
        may_update=page.access.has("report_progress")))


@never_cache
def cycle_link(request, token):
    """An owner's personal link: confirm with a button (mail scanners that open links sign
    nobody in), then the organisation's items in the cycle."""
    found = cycle_requests.find(token)
    if found is None or not cycle_requests.is_live(found):
        return render(request, "cycles/link_invalid.html", {"found": found}, status=404)
    review = found.cycle.review
    target = reverse("cycle_mine", kwargs={"slug": review.slug, "number": found.cycle.number})
    signs_in = cycle_requests.may_sign_in(found)
    if request.method == "POST" and signs_in:
        login(request, found.contact, backend="django.contrib.auth.backends.ModelBackend")
        request.session[LINK_SESSION_KEY] = True  # their updates are recorded as by link
        track_actions.record_request_used(request=found)
        return redirect(target)
    if request.user.is_authenticated and request.user.pk == found.contact_id:
        return redirect(target)
    return render(request, "cycles/link.html", {
        "request_": found, "signs_in": signs_in,
        "sign_in_url": reverse("login") + "?" + urlencode({"next": target}),
    })
