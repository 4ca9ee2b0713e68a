"""A participant's web submission form: write (save as draft), check your answers, submit.

Contributors of the participant's organisation edit its draft; once submitted the
form is read-only. Anyone who may see submitted material (leads, reviewers, and
everyone after publication) reads a submitted form; nobody else learns a draft exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stocktake.collect import actions, staging
from stocktake.collect.models import Submission, SubmissionStatus
from stocktake.collect.personal_data import hide_in_answers, sees_personal_data
from stocktake.collect.queries import file_submissions, organisation_approaches
from stocktake.collect.word_template import read_for_form
from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.reviews.models import Participant
from stocktake.reviews.workflow import ReviewStatus
from stocktake.web.collect_forms import SubmissionForm, TemplateUploadForm
from stocktake.web.presenters.collect import (
    approach_views,
    check_rows,
    file_submission_lines,
    form_fields,
    format_date,
    personal_data_warnings,
    section_values,
)
from stocktake.web.views.base import review_page


def _can_edit(access, participant) -> bool:
    return (access.has("write_submission")
            and participant.organisation_id in access.own_organisations())


@login_required
def my_submission(request, slug):
    """A contributor's way in: their organisation's form (or a choice of them)."""
    page = review_page(request, slug, current="my_submission")
    review, access = page.review, page.access
    # 404, not 403: a lead writes no submission of their own, so there is no page to refuse.
    if not (access.has("write_submission") and access.own_organisations()):
        raise Http404("You do not write a submission in this review")
    participants = list(Participant.objects.filter(
        review=review, organisation_id__in=access.own_organisations()
    ).select_related("organisation"))
    if len(participants) == 1:
        return redirect("submission_form", slug=review.slug, participant_id=participants[0].pk)
    return render(request, "collect/choose.html", {
        **page.context(),
        "participants": [{"name": p.organisation.name,
                          "href": reverse("submission_form", kwargs={
                              "slug": review.slug, "participant_id": p.pk})}
                         for p in participants],
    })


def _load(request, slug, participant_id):
    page = review_page(request, slug, current="my_submission")
    review, access = page.review, page.access
    participant = get_object_or_404(
        Participant.objects.select_related("organisation"), pk=participant_id, review=review)
    # The participant's web form: its newest submission that did not come from a file (nor
    # from a staff questionnaire's response, which has no file either).
    submission = (Submission.objects.visible_to(access)
                  .filter(participant=participant, source_document__isnull=True,
                          questionnaire_response__isnull=True)
                  .order_by("-created_at", "-id").first())
    own = _can_edit(access, participant)
    submitted = submission is not None and submission.status == SubmissionStatus.SUBMITTED
    if not own and not submitted:
        if not access.sees_all_submitted:
            raise Http404("No submission found")
        submission = None  # a lead or reviewer: "not submitted yet", nothing more
    # Once the review stops collecting, the form is read-only (collect.actions refuses too).
    editable = own and not submitted and _collecting(review)
    return page, participant, submission, editable


def _collecting(review) -> bool:
    return review.status == ReviewStatus.COLLECTING


def _sections(submission):
    if submission is None:
        return []
    return list(submission.sections.select_related("domain"))




@login_required
def submission_form(request, slug, participant_id):
    page, participant, submission, editable = _load(request, slug, participant_id)
    review = page.review
    domains = list(review.framework.domains.all())
    url = reverse("submission_form", kwargs={"slug": slug, "participant_id": participant_id})
    # What came in from files for this organisation: its contributors are told, not a blank form.
    from_files = file_submission_lines(file_submissions(participant=participant,
                                                        access=page.access))
    approaches = approach_views(organisation_approaches(participant=participant, access=page.access))
    if not editable:
        values = section_values(_sections(submission))
        if not (sees_personal_data(page.access) or _can_edit(page.access, participant)):
            values = hide_in_answers(values)  # its own organisation and leads see it as written
        groups = form_fields(domains, values=values)
        return render(request, "collect/submitted.html", page.context(
            participant=participant, submission=submission,
            submitted=submission is not None and submission.status == SubmissionStatus.SUBMITTED,
            closed=not _collecting(review),
            submitted_on=format_date(submission.submitted_at) if submission else "",
            from_files=from_files, approaches=approaches,
            sections=check_rows(groups, change_href=None)))
    form = SubmissionForm(request.POST if request.method == "POST" else None, domains=domains)
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.save_draft(participant=participant, texts=form.texts(),
                                   submission=submission, by=request.user)
            except InvalidTransition as exc:
                messages.error(request, str(exc))
                return redirect(url)
            if request.POST.get("action") == "check":
                return redirect("submission_check", slug=slug, participant_id=participant_id)
            messages.success(request, "Your draft has been saved.")
            return redirect(url)
        values = {name: form.data.get(name, "") for name in form.fields}
    else:
        values = section_values(_sections(submission))
    return _form_page(request, page, participant, submission, form=form, values=values,
                      from_files=from_files)


def _form_page(request, page, participant, submission, *, form, values, from_files,
               upload_errors: list | None = None):
    """The editable form; ``upload_errors``: a template upload's errors (the form is unbound)."""
    domains = list(page.review.framework.domains.all())
    url = reverse("submission_form", kwargs={"slug": page.review.slug,
                                             "participant_id": participant.pk})
    approaches = approach_views(organisation_approaches(participant=participant, access=page.access))
    return render(request, "collect/form.html", page.context(
        participant=participant, submission=submission, action=url, from_files=from_files,
        approaches=approaches,
        errors=(form.error_list() if form.is_bound else []) + (upload_errors or []),
        upload_error=" ".join(e["text"] for e in upload_errors or []),
        groups=form_fields(domains, values=values, errors=form.errors if form.is_bound else None),
        saved=format_date(submission.updated_at) if submission else ""))


@login_required
@require_POST
def submission_template_upload(request, slug, participant_id):
    """A contributor's filled-in Word template: its answers go into the form's boxes (a draft
    they check and submit as usual); boxes the template leaves empty keep their text."""
    page, participant, submission, editable = _load(request, slug, participant_id)
    url = reverse("submission_form", kwargs={"slug": slug, "participant_id": participant_id})
    if not editable:
        return redirect(url)
    upload = TemplateUploadForm(request.POST, request.FILES, max_bytes=staging.max_bytes())
    errors = upload.error_list() if not upload.is_valid() else []
    if not errors:
        domains = {d.key: d for d in page.review.framework.domains.all()}
        try:
            answers = read_for_form(page.review, upload.cleaned_data["template"],
                                    organisation=participant.organisation,
                                    max_bytes=staging.max_bytes())
            actions.save_draft(participant=participant, submission=submission, by=request.user,
                               texts={(domains[key], kind): text
                                      for (key, kind), text in answers.texts.items()})
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect(url)
        except InvalidInput as exc:
            errors = [{"text": str(exc), "href": "#template-file"}]
        else:
            messages.success(request, "The answers in your Word template are now in the form "
                                      "below. Check them, then continue to check your answers.")
            for note in answers.notes:
                messages.warning(request, note)
            return redirect(url)
    from_files = file_submission_lines(file_submissions(participant=participant,
                                                        access=page.access))
    return _form_page(request, page, participant, submission, form=SubmissionForm(
        domains=list(page.review.framework.domains.all())),
        values=section_values(_sections(submission)), from_files=from_files, upload_errors=errors)


@login_required
def submission_check(request, slug, participant_id):
    page, participant, submission, editable = _load(request, slug, participant_id)
    review = page.review
    form_url = reverse("submission_form", kwargs={"slug": slug, "participant_id": participant_id})
    if not editable:
        return redirect(form_url)
    errors = []
    if request.method == "POST":
        if submission is None:
            errors = [{"text": "Write something in at least one section before submitting",
                       "href": form_url}]
        else:
            try:
                actions.submit_form(submission=submission, by=request.user)
            except InvalidTransition as exc:
                messages.error(request, str(exc))
                return redirect(form_url)
            except InvalidInput as exc:
                errors = [{"text": str(exc), "href": form_url}]
            else:
                messages.success(request, "Your submission has been sent to the review team.")
                return redirect(form_url)
    domains = list(review.framework.domains.all())
    groups = form_fields(domains, values=section_values(_sections(submission)))
    return render(request, "collect/check.html", page.context(
        participant=participant, errors=errors,
        sections=check_rows(groups, change_href=form_url), form_url=form_url,
        warnings=personal_data_warnings(groups, change_href=form_url)))
