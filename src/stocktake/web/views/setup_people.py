"""A review's participants (organisations from the register) and members (people with
roles), set up in the browser.

Participants are found by searching the register (name, acronym or other name) or added
a whole system at a time; one is removed only before it has sent anything. Members are
existing accounts or new ones made from an email address; a contributor's personal link
goes through the invitation flow (``participation.invite``) once collection is open.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from stocktake.collect.models import Submission
from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.core.text import plural
from stocktake.reviews import actions
from stocktake.reviews.models import Membership, Organisation, OrganisationLevel, Participant
from stocktake.web.presenters import organisations as org_present
from stocktake.web.presenters import setup as present
from stocktake.web.presenters.labels import ROLE_ORDER
from stocktake.web.setup_forms import MemberForm, RoleForm
from stocktake.web.views.base import organisation_tree, review_page

REFUSALS = (InvalidInput, InvalidTransition)
MAX_RESULTS = 50


def _page(request, slug, current_name: str | None = None):
    trail = [("Set up", reverse("review_setup", kwargs={"slug": slug}))]
    if current_name:
        trail.append(current_name)
    return review_page(request, slug, current="review_setup", require="manage_review", trail=trail)


def _participants_url(slug, **query) -> str:
    base = reverse("setup_participants", kwargs={"slug": slug})
    return f"{base}?{urlencode(query)}" if query else base


@login_required
def participants(request, slug):
    page = _page(request, slug)
    review = page.review
    tree = organisation_tree()
    taking_part = list(review.participants.select_related("organisation"))
    sent = set(Submission.objects.visible_to(page.access).values_list("participant_id", flat=True))
    have = {p.organisation_id for p in taking_part}
    query = " ".join(request.GET.get("q", "").split())[:255]
    results = None
    if query:
        found = [
            node
            for node in org_present.search(tree, query)
            if tree.get(node.id).level != OrganisationLevel.REGION
        ]
        results = [{"node": node, "taking_part": node.id in have} for node in found[:MAX_RESULTS]]
    root = review.region_id
    systems = tree.below(root, levels=[OrganisationLevel.SYSTEM])
    rows = []
    for participant in taking_part:
        refused = "Has a submission, so it stays" if participant.pk in sent else ""
        rows.append(
            {
                "participant": participant,
                "system": tree.system_name(participant.organisation_id),
                "refused": refused,
            }
        )
    return render(
        request,
        "setup/participants.html",
        page.context(
            query=query,
            results=results,
            more=bool(query) and results is not None and len(results) == MAX_RESULTS,
            rows=rows,
            systems=[
                {"value": s.id, "text": f"{s.name} ({plural(count, 'organisation')})"}
                for s in systems
                for count in [len(tree.below(s.id, levels=[OrganisationLevel.ORGANISATION]))]
            ],
        ),
    )


@login_required
@require_POST
def participants_add(request, slug):
    page = _page(request, slug)
    review = page.review
    tree = organisation_tree()
    ids = {int(v) for v in request.POST.getlist("organisation") if v.isdigit()}
    system = request.POST.get("system", "")
    if system.isdigit() and tree.get(int(system)) is not None:
        ids |= {o.id for o in tree.below(int(system), levels=[OrganisationLevel.ORGANISATION])}
        if request.POST.get("with_system"):
            ids.add(int(system))
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    if not organisations:
        messages.error(request, "Choose at least one organisation to add")
        return redirect(_participants_url(slug, q=request.POST.get("q", "")))
    try:
        added = actions.add_participants(
            review=review, organisations=organisations, by=request.user
        )
    except REFUSALS as exc:
        messages.error(request, str(exc))
    else:
        if added:
            names = ", ".join(p.organisation.name for p in added[:10])
            more = f" and {len(added) - 10} more" if len(added) > 10 else ""
            messages.success(request, f"{plural(len(added), 'organisation')} added: {names}{more}.")
        else:
            messages.info(request, "Those organisations already take part: nothing to add.")
    return redirect(_participants_url(slug))


@login_required
def participant_remove(request, slug, participant_id):
    page = _page(request, slug, ("Participants", _participants_url(slug)))
    review = page.review
    participant = (
        Participant.objects.select_related("organisation", "review")
        .filter(pk=participant_id, review=review)
        .first()
    )
    if participant is None:
        raise Http404("No such participant")
    if request.method == "POST":
        try:
            actions.remove_participant(participant=participant, by=request.user)
        except REFUSALS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{participant.organisation.name} no longer takes part.")
        return redirect(_participants_url(slug))
    return render(
        request,
        "setup/participant_remove.html",
        page.context(
            participant=participant,
            refused=actions.participant_removal_refused(participant),
            contributors=Membership.objects.filter(
                review=review, organisation=participant.organisation, role="contributor"
            ).count(),
        ),
    )


def _participant_choices(review) -> list[tuple[int, str]]:
    return [
        (p.organisation_id, p.organisation.name)
        for p in review.participants.select_related("organisation")
    ]


def _member_rows(review):
    memberships = list(review.memberships.select_related("user", "organisation"))
    memberships.sort(
        key=lambda m: (
            ROLE_ORDER.index(m.role) if m.role in ROLE_ORDER else 99,
            (m.user.get_full_name() or m.user.username).lower(),
        )
    )
    return [
        {
            "membership": m,
            "name": m.user.get_full_name() or m.user.username,
            "email": m.user.email,
            "role": m.get_role_display(),
            "organisation": m.organisation.name if m.organisation else "",
        }
        for m in memberships
    ]


@login_required
def members(request, slug):
    page = _page(request, slug)
    review = page.review
    choices = _participant_choices(review)
    form = MemberForm(request.POST if request.method == "POST" else None, organisations=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = (
            Organisation.objects.get(pk=data["organisation"])
            if data["organisation"] and data["role"] in ("contributor", "action_owner")
            else None
        )
        try:
            who = " ".join(data["who"].split())
            membership = actions.add_member_by_email(
                review=review,
                **({"email": who} if "@" in who else {"username": who}),
                full_name=data["full_name"],
                role=data["role"],
                organisation=organisation,
                by=request.user,
            )
        except REFUSALS as exc:
            form.add_error("who", str(exc))
        else:
            account = membership.user
            if account.has_usable_password():
                note = ""
            elif membership.role == "contributor":
                note = (
                    " They have no password: invite them from Participation, and the "
                    "personal link the invitation sends signs them in."
                )
            else:
                note = (
                    " They have no password yet: an administrator sets one "
                    "(stocktake manage changepassword)."
                )
            messages.success(
                request,
                f"{account.get_full_name() or account.email} added as "
                f"{membership.get_role_display().lower()}.{note}",
            )
            return redirect("setup_members", slug=slug)
    values = (
        {name: form.data.get(name, "") for name in form.fields}
        if form.is_bound
        else {"role": "reviewer"}
    )
    return render(
        request,
        "setup/members.html",
        page.context(
            rows=_member_rows(review),
            errors=form.error_list() if form.is_bound else [],
            field_errors=form.field_errors() if form.is_bound else {},
            values=values,
            role_items=present.role_items(values.get("role", "")),
            organisation_items=present.select_items(
                choices, values.get("organisation"), "Not needed for this role"
            ),
            has_participants=bool(choices),
        ),
    )


def _membership(review, membership_id):
    found = (
        Membership.objects.select_related("user", "organisation")
        .filter(pk=membership_id, review=review)
        .first()
    )
    if found is None:
        raise Http404("No such member")
    return found


@login_required
def member_edit(request, slug, membership_id):
    page = _page(request, slug, ("Members", reverse("setup_members", kwargs={"slug": slug})))
    review = page.review
    membership = _membership(review, membership_id)
    choices = _participant_choices(review)
    initial = {"role": membership.role, "organisation": membership.organisation_id}
    form = RoleForm(
        request.POST if request.method == "POST" else None, organisations=choices, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = (
            Organisation.objects.get(pk=data["organisation"]) if data["organisation"] else None
        )
        try:
            actions.change_member_role(
                membership=membership, role=data["role"], organisation=organisation, by=request.user
            )
        except REFUSALS as exc:
            form.add_error("role", str(exc))
        else:
            messages.success(request, "Role changed.")
            return redirect("setup_members", slug=slug)
    values = {name: form.data.get(name, "") for name in form.fields} if form.is_bound else initial
    return render(
        request,
        "setup/member_edit.html",
        page.context(
            membership=membership,
            name=membership.user.get_full_name() or membership.user.username,
            errors=form.error_list() if form.is_bound else [],
            field_errors=form.field_errors() if form.is_bound else {},
            role_items=present.role_items(values.get("role", "")),
            organisation_items=present.select_items(
                choices, values.get("organisation"), "Not needed for this role"
            ),
        ),
    )


@login_required
@require_POST
def member_remove(request, slug, membership_id):
    page = _page(request, slug)
    membership = _membership(page.review, membership_id)
    name = membership.user.get_full_name() or membership.user.username
    try:
        actions.remove_member(membership=membership, by=request.user)
    except REFUSALS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{name} is no longer {membership.get_role_display().lower()} in this review."
        )
    return redirect("setup_members", slug=slug)
