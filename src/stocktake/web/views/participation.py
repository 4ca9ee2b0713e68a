"""Inviting participants, seeing who has submitted, reminders, and following a personal link.

The lead's pages need ``manage_review``. Following a link needs no account: it
signs the contact in to the contributor account made for the invitation (see
docs/adr/0006-invitation-links.md and collect.invitations).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from stocktake.collect import actions, invitations
from stocktake.collect.models import Invitation, Submission, SubmissionStatus
from stocktake.collect.queries import has_submitted
from stocktake.core.errors import InvalidInput
from stocktake.reviews.models import Organisation, Participant
from stocktake.web.collect_forms import InviteForm
from stocktake.web.presenters.collect import (
    organisation_choices,
    organisation_groups,
    organisation_items,
    participation_rows,
)
from stocktake.web.views.base import organisation_tree, review_page


def _link_for(request):
    return lambda token: request.build_absolute_uri(
        reverse("invitation", kwargs={"token": token}))


@login_required
def participation(request, slug):
    page = review_page(request, slug, current="participation", require="manage_review")
    review, access = page.review, page.access
    participants = list(review.participants.select_related("organisation"))
    # Staff questionnaire answers are not the organisation's submission.
    submitted = set(Submission.objects.visible_to(access)
                    .filter(status=SubmissionStatus.SUBMITTED,
                            questionnaire_response__isnull=True)
                    .values_list("participant_id", flat=True))
    sent = Invitation.objects.visible_to(access).order_by("-created_at", "-id")
    imported = set(Submission.objects.visible_to(access)
                   .filter(status=SubmissionStatus.SUBMITTED, source_document__isnull=False)
                   .values_list("participant_id", flat=True))
    rows = participation_rows(participants, submitted_ids=submitted, invitations=sent,
                              imported_ids=imported,
                              draft_ids=invitations.draft_participant_ids(review))
    return render(request, "invitations/participation.html", {
        **page.context(), "rows": rows,
        "waiting": sum(1 for r in rows if r.can_remind),
        "open": invitations.review_open(review),
        "refused": invitations.sending_refused(review),
    })


@login_required
def invite(request, slug):
    page = review_page(request, slug, current="participation", require="manage_review",
                       trail=[("Participation", reverse("participation", kwargs={"slug": slug}))])
    review = page.review
    groups = organisation_groups(organisation_tree(), review.region_id)
    choices = organisation_choices(groups)
    initial = _initial(review, request.GET.get("participant", ""))
    form = InviteForm(request.POST if request.method == "POST" else None, organisations=choices, initial=initial)
    refused = invitations.sending_refused(review)
    errors, already = [], ""
    if request.method == "POST" and not refused and form.is_valid():
        organisation = Organisation.objects.get(pk=form.cleaned_data["organisation"])
        if (request.POST.get("confirm") != str(organisation.pk)  # confirmed for this one
                and has_submitted(review=review, organisation=organisation, access=page.access)):
            already = (f"{organisation.name} has already sent a submission. If you invite "
                       "them, the contact can add to it through the form; it is not replaced.")
        else:
            try:
                invitation = invitations.invite(
                    review=review, organisation=organisation, by=request.user,
                    contact_name=form.cleaned_data["contact_name"],
                    email=form.cleaned_data["email"], link_for=_link_for(request))
            except InvalidInput as exc:  # the email could not be sent
                errors = [{"text": str(exc), "href": "#email"}]
            else:
                messages.success(request, _sent_message(invitation, organisation))
                return redirect("participation", slug=review.slug)
    value = (lambda name: form.data.get(name, "")) if form.is_bound else (
        lambda name: initial.get(name, ""))
    return render(request, "invitations/invite.html", {
        **page.context(),
        "refused": refused, "already": already,
        "errors": (form.error_list() if form.is_bound and not refused else []) + errors,
        "field_errors": ({k: v[0] for k, v in form.errors.items()}
                         if form.is_bound and not refused else {}),
        "values": {name: str(value(name) or "") for name in ("organisation", "contact_name",
                                                              "email")},
        "organisation_items": organisation_items(groups, "Choose an organisation"),
    })


def _initial(review, chosen: str) -> dict:
    """The invite form filled in for an existing participant (``?participant=<id>``)."""
    found = (Participant.objects.filter(review=review, pk=int(chosen)).first()
             if chosen.isdigit() else None)
    if found is None:
        return {}
    return {"organisation": found.organisation_id, "contact_name": found.contact_name,
            "email": found.contact_email}


def _sent_message(invitation, organisation) -> str:
    replaced = getattr(invitation, "replaced", 0)
    if not replaced:
        return f"Invitation sent to {invitation.email} for {organisation.name}."
    plural = replaced != 1
    return (f"Invitation sent to {invitation.email} for {organisation.name}. The {replaced} "
            f"earlier unused link{'s' if plural else ''} sent to {organisation.name} no longer "
            f"{'work' if plural else 'works'}.")


@login_required
@require_POST
def remind(request, slug, participant_id):
    review = review_page(request, slug, current="participation",
                         require="manage_review").review
    participant = get_object_or_404(Participant.objects.select_related("organisation"),
                                    pk=participant_id, review=review)
    try:
        invitations.remind(participant=participant, by=request.user,
                           link_for=_link_for(request))
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Reminder sent to {participant.contact_email} for "
                                  f"{participant.organisation.name}.")
    return redirect("participation", slug=review.slug)


@login_required
@require_POST
def remind_all(request, slug):
    review = review_page(request, slug, current="participation",
                         require="manage_review").review
    result = invitations.remind_all(review=review, by=request.user,
                                    link_for=_link_for(request))
    if result.sent:
        messages.success(request, f"Reminders sent to {len(result.sent)} participant"
                                  f"{'s' if len(result.sent) != 1 else ''}: "
                                  f"{', '.join(result.sent)}.")
    for line in result.failed:
        messages.error(request, line)
    if result.skipped:
        messages.info(request, "Not invited yet, so not reminded: " + ", ".join(result.skipped))
    if result.stopped:
        count = len(result.stopped)
        messages.info(request, f"{count} participant{'s' if count != 1 else ''} skipped because "
                               "you stopped their links (invite them again to send a new link): "
                               + ", ".join(result.stopped))
    if result.refused:
        messages.info(request, f"{result.refused}.")
    elif not (result.sent or result.failed or result.skipped or result.stopped):
        messages.info(request, "Everyone invited has submitted: no reminders were needed.")
    return redirect("participation", slug=review.slug)


@login_required
@require_POST
def revoke(request, slug, participant_id):
    review = review_page(request, slug, current="participation",
                         require="manage_review").review
    participant = get_object_or_404(Participant.objects.select_related("organisation"),
                                    pk=participant_id, review=review)
    count = actions.revoke_invitations(participant=participant, by=request.user)
    messages.success(request, f"{count} personal link{'s' if count != 1 else ''} for "
                              f"{participant.organisation.name} stopped working. No reminders "
                              "will be sent until you invite them again.")
    return redirect("participation", slug=review.slug)


@never_cache
def invitation(request, token):
    """A contact's personal link: confirm with a button (so mail scanners that open links sign
    nobody in), then go to the organisation's submission form."""
    found = invitations.find(token)
    if found is None or not invitations.is_live(found):
        return render(request, "invitations/invalid.html", {"found": found}, status=404)
    form_url = reverse("submission_form", kwargs={"slug": found.review.slug,
                                                  "participant_id": found.participant_id})
    signs_in = invitations.may_sign_in(found)
    if request.method == "POST" and signs_in:
        login(request, found.contact, backend="django.contrib.auth.backends.ModelBackend")
        actions.record_link_used(invitation=found)
        return redirect(form_url)
    if request.user.is_authenticated and request.user.pk == found.contact_id:
        return redirect(form_url)
    return render(request, "invitations/accept.html", {
        "invitation": found, "signs_in": signs_in,
        "sign_in_url": reverse("login") + "?" + urlencode({"next": form_url}),
    })
