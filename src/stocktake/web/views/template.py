"""The review's Word submission template, as a download.

Anyone who can see the review may download the blank template (it holds only the
review's title, dates and framework). ``?participant=ID`` prefills "About you" with
that participant's organisation, for its own contributors and for those who see
every submission; anyone else gets a 404, so a participant's existence is not revealed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from stocktake.collect.word_template import template_docx, template_filename
from stocktake.reviews.models import Participant
from stocktake.web.views.base import review_and_access

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def submission_template(request, slug):
    review, access = review_and_access(request, slug)
    organisation = None
    wanted = request.GET.get("participant", "")
    if wanted:
        participant = (Participant.objects.select_related("organisation")
                       .filter(review=review, pk=int(wanted)).first() if wanted.isdigit() else None)
        if participant is None or not (access.sees_all_submitted or participant.organisation_id
                                       in access.own_organisations()):
            raise Http404("No participant found")
        organisation = participant.organisation
    response = HttpResponse(template_docx(review, organisation=organisation), content_type=DOCX)
    name = template_filename(review, organisation=organisation)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
