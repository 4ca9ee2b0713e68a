"""Reflection sessions: the list, scheduling (from the drafted agenda), a session's page,
its edit, agenda, notes (autosaved with HTMX, a Save button without JavaScript), findings
made from the notes, the summary and the .ics calendar file.

Leads and reviewers run sessions (``code_findings``); a system's contributors see their
system's sessions — time, place, attendees' names, agenda and summary — never the
reviewers' notes or anyone's email address (reflection/models.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from stocktake.core.errors import EditConflict, StocktakeError
from stocktake.reflection import actions, queries
from stocktake.reflection.actions import NewAttendee, note_lines, note_organisations
from stocktake.reflection.agenda import draft_for
from stocktake.reflection.ics import session_ics
from stocktake.reviews.models import Organisation
from stocktake.reviews.permissions import may_see_sessions
from stocktake.web.presenters import sessions as present
from stocktake.web.views.base import ReviewPage, organisation_tree, review_page

RUN = "code_findings"  # who schedules, edits and takes notes


def _page(request, slug, *, require: str | None = None, trail=()) -> ReviewPage:
    page = review_page(
        request,
        slug,
        current="sessions",
        require=require,
        trail=(("Reflection sessions", reverse("sessions", kwargs={"slug": slug})), *trail),
    )
    if not may_see_sessions(page.access):
        raise Http404("No reflection sessions here")
    return page


def _session(page: ReviewPage, session_id: int):
    found = queries.session(page.access, session_id)
    if found is None:
        raise Http404("No such reflection session")
    return found


def _session_url(slug: str, session_id: int, name: str = "session") -> str:
    return reverse(name, kwargs={"slug": slug, "session_id": session_id})


@login_required
def sessions_list(request, slug):
    page = review_page(request, slug, current="sessions")
    if not may_see_sessions(page.access):
        raise Http404("No reflection sessions here")
    tree = organisation_tree()
    groups = present.by_system(list(queries.sessions(page.access, tree=tree)), slug=slug, tree=tree)
    return render(
        request,
        "sessions/list.html",
        page.context(
            groups=groups,
            runs=page.access.has(RUN),
            new_url=reverse("session_new", kwargs={"slug": slug}),
        ),
    )


def _chosen_organisations(values, tree) -> list[Organisation]:
    ids = [int(v) for v in values if str(v).isdigit()]
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def _attendees(post, contacts) -> list[NewAttendee]:
    """Contacts ticked, then the free additions typed one a line ("Name, email, role")."""
    ticked = set(post.getlist("contact"))
    out = [NewAttendee(c.name, c.email, c.role, True) for c in contacts if c.key in ticked]
    out += present.parse_additions(post.get("additions", ""))
    return out


def _form_values(post) -> dict:
    return {
        key: post.get(key, "")
        for key in (
            "title",
            "date",
            "time",
            "duration",
            "place",
            "video_link",
            "open_questions",
            "additions",
        )
    } | {"contact": post.getlist("contact")}


def _schedule_fields(values: dict) -> dict:
    return {
        "title": values["title"],
        "starts_at": present.parse_start(values["date"], values["time"]),
        "duration_minutes": present.parse_minutes(values["duration"]),
        "place": values["place"],
        "video_link": values["video_link"],
        "open_questions": values["open_questions"],
    }


@login_required
def session_new(request, slug):
    """Step 1 (no ``with``): whom the session is with. Step 2: the form, with the agenda the
    assessment suggests for them; posting it schedules the session with that agenda."""
    page = _page(request, slug, require=RUN, trail=())
    tree = organisation_tree()
    params = request.POST if request.method == "POST" else request.GET
    chosen = _chosen_organisations(params.getlist("with"), tree)
    if not chosen:
        return render(
            request,
            "sessions/choose.html",
            page.context(
                groups=queries.groups(page.review, tree),
                error="Choose the system or participants the session is with"
                if "with" in params or request.method == "POST"
                else "",
            ),
            status=400 if request.method == "POST" else 200,
        )
    contacts = queries.contacts(page.review, [o.pk for o in chosen], tree)
    values = present.new_values(chosen, contacts)
    error = ""
    if request.method == "POST":
        values = _form_values(request.POST)
        try:
            session = actions.schedule_session(
                review=page.review,
                organisations=chosen,
                by=request.user,
                attendees=_attendees(request.POST, contacts),
                tree=tree.copy(),
                **_schedule_fields(values),
            )
        except StocktakeError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                "Session scheduled, with its agenda drafted from the "
                "assessment. Download the calendar file to send it.",
            )
            return redirect(_session_url(slug, session.pk))
    draft = draft_for(
        page.review,
        [o.pk for o in chosen],
        minutes=present.parse_minutes(values["duration"], default=90),
        open_questions=values["open_questions"],
        tree=tree,
    )
    return render(
        request,
        "sessions/form.html",
        page.context(
            chosen=chosen,
            contacts=contacts,
            values=values,
            error=error,
            editing=None,
            draft_html=present.agenda_preview(draft),
            action=reverse("session_new", kwargs={"slug": slug}),
        ),
        status=400 if error else 200,
    )


@login_required
def session_detail(request, slug, session_id):
    page = _page(request, slug)
    session = _session(page, session_id)
    tree = organisation_tree()
    runs = page.access.has(RUN)
    return render(
        request,
        "sessions/detail.html",
        page.context(
            session=session,
            view=present.session_view(session, slug=slug, tree=tree, access=page.access),
            runs=runs,
            findings=present.finding_rows(
                queries.session_findings(page.access, session), slug=slug, tree=tree
            )
            if runs
            else [],
        ),
    )


@login_required
def session_edit(request, slug, session_id):
    page = _page(request, slug, require=RUN)
    session = _session(page, session_id)
    tree = organisation_tree()
    chosen = [so.organisation for so in session.organisations.all()]
    contacts = queries.contacts(page.review, [o.pk for o in chosen], tree)
    values, revision, error, status = (
        present.edit_values(session, contacts),
        session.revision,
        "",
        200,
    )
    if request.method == "POST":
        values = _form_values(request.POST)
        try:
            actions.update_session(
                session=session,
                by=request.user,
                expected_revision=present.posted_int(request.POST, "revision"),
                attendees=_attendees(request.POST, contacts),
                **_schedule_fields(values),
            )
        except EditConflict as exc:
            error, status = str(exc), 409
            revision = _session(page, session_id).revision
        except StocktakeError as exc:
            error, status = str(exc), 400
            revision = present.posted_int(request.POST, "revision") or revision
        else:
            messages.success(
                request, "Session saved. Send the calendar file again if the time or place changed."
            )
            return redirect(_session_url(slug, session.pk))
    return render(
        request,
        "sessions/form.html",
        page.context(
            chosen=chosen,
            contacts=contacts,
            values=values,
            error=error,
            editing=session,
            revision=revision,
            draft_html="",
            action=_session_url(slug, session.pk, "session_edit"),
        ),
        status=status,
    )


@login_required
def session_calendar(request, slug, session_id):
    page = _page(request, slug)
    session = _session(page, session_id)
    tree = organisation_tree()
    data = session_ics(
        session,
        attendees=list(session.attendees.all()),
        organisations=[tree.name(so.organisation_id) for so in session.organisations.all()],
        host=request.get_host().split(":")[0],
        now=timezone.now(),
        url=request.build_absolute_uri(_session_url(slug, session.pk)),
        with_emails=present.sees_emails(page.access),
    )
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reflection-session-{session.pk}.ics"'
    return response


@login_required
def session_cancel(request, slug, session_id):
    page = _page(request, slug, require=RUN)
    session = _session(page, session_id)
    error = ""
    if request.method == "POST":
        try:
            actions.cancel_session(
                session=session, by=request.user, reason=request.POST.get("reason", "")
            )
        except StocktakeError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                "Session cancelled. Send the calendar file again so "
                "attendees' calendars show it cancelled.",
            )
            return redirect(_session_url(slug, session.pk))
    return render(
        request,
        "sessions/cancel.html",
        page.context(session=session, error=error),
        status=400 if error else 200,
    )


@login_required
@require_POST
def session_held(request, slug, session_id):
    page = _page(request, slug, require=RUN)
    session = _session(page, session_id)
    try:
        actions.mark_held(session=session, by=request.user)
    except StocktakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Session marked as held. Write its summary when you are ready.")
    return redirect(_session_url(slug, session.pk))


def _text_page(request, slug, session_id, *, kind: str):
    """The agenda's or the summary's Markdown editor (revision-checked)."""
    page = _page(request, slug, require=RUN)
    session = _session(page, session_id)
    source = session.agenda_source if kind == "agenda" else session.summary_source
    revision, error, status, theirs = session.revision, "", 200, None
    if request.method == "POST":
        source = request.POST.get("source", "")
        act = actions.edit_agenda if kind == "agenda" else actions.write_summary
        try:
            act(
                session=session,
                source=source,
                by=request.user,
                expected_revision=present.posted_int(request.POST, "revision"),
            )
        except EditConflict as exc:
            theirs = _session(page, session_id)
            error, status, revision = str(exc), 409, theirs.revision
        except StocktakeError as exc:
            error, status = str(exc), 400
            revision = present.posted_int(request.POST, "revision") or revision
        else:
            messages.success(request, "Agenda saved." if kind == "agenda" else "Summary saved.")
            return redirect(_session_url(slug, session.pk) + f"#{kind}")
    return render(
        request,
        "sessions/text.html",
        page.context(
            session=session,
            kind=kind,
            source=source,
            revision=revision,
            error=error,
            theirs_html=(theirs.agenda_html if kind == "agenda" else theirs.summary_html)
            if theirs
            else None,
        ),
        status=status,
    )


@login_required
def session_agenda(request, slug, session_id):
    return _text_page(request, slug, session_id, kind="agenda")


@login_required
def session_summary(request, slug, session_id):
    return _text_page(request, slug, session_id, kind="summary")


@login_required
@require_POST
def session_agenda_reset(request, slug, session_id):
    page = _page(request, slug, require=RUN)
    session = _session(page, session_id)
    try:
        actions.reset_agenda(
            session=session,
            by=request.user,
            expected_revision=present.posted_int(request.POST, "revision"),
        )
    except StocktakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Agenda drafted again from the assessment as it stands now.")
    return redirect(_session_url(slug, session.pk) + "#agenda")


def _notes_context(
    page, session, *, notes=None, revision=None, error="", saved="", tree=None, made=None
) -> dict:
    tree = tree or organisation_tree()
    notes = session.notes if notes is None else notes
    return page.context(
        session=session,
        notes=notes,
        revision=session.notes_revision if revision is None else revision,
        error=error,
        saved=saved or present.saved_text(session),
        lines=present.note_line_rows(
            note_lines(notes), queries.session_findings(page.access, session), slug=page.review.slug
        ),
        organisations=[(o.pk, tree.name(o.pk)) for o in note_organisations(session, tree)],
        domains=list(page.review.framework.domains.order_by("position", "id")),
        sections=present.SECTION_CHOICES,
        made=made or {},
        notes_url=_session_url(page.review.slug, session.pk, "session_notes"),
        finding_url=_session_url(page.review.slug, session.pk, "session_note_finding"),
    )


@login_required
@vary_on_headers("HX-Request")
def session_notes(request, slug, session_id):
    """The notes page. HTMX posts the notes every few seconds and on leaving the box and
    gets back the save status (and the lines to choose from); without JavaScript, the
    Save button posts the same form and the page comes back."""
    page = _page(request, slug, require=RUN)
    session = _session(page, session_id)
    if request.method != "POST":
        return render(request, "sessions/notes.html", _notes_context(page, session))
    notes = request.POST.get("notes", "")
    try:
        session = actions.save_notes(
            session=session,
            notes=notes,
            by=request.user,
            expected_revision=present.posted_int(request.POST, "revision"),
        )
    except StocktakeError as exc:
        status = 409 if isinstance(exc, EditConflict) else 400
        context = _notes_context(
            page,
            session,
            notes=notes,
            error=str(exc),
            revision=present.posted_int(request.POST, "revision"),
        )
        if request.htmx:  # htmx swaps only 2xx answers: the status line says it failed
            return render(request, "sessions/_notes_status.html", context)
        return render(request, "sessions/notes.html", context, status=status)
    if request.htmx:
        return render(request, "sessions/_notes_status.html", _notes_context(page, session))
    messages.success(request, "Notes saved.")
    return redirect(_session_url(slug, session.pk, "session_notes"))


@login_required
@require_POST
def session_note_finding(request, slug, session_id):
    """Turn the chosen line of the notes into a finding (coded at once)."""
    page = _page(request, slug, require=RUN)
    session = _session(page, session_id)
    tree = organisation_tree()
    post = request.POST
    line = present.posted_int(post, "line")
    org_id = present.posted_int(post, "organisation")
    domain_id = present.posted_int(post, "domain")
    organisation = next((o for o in note_organisations(session, tree) if o.pk == org_id), None)
    domain = page.review.framework.domains.filter(pk=domain_id).first() if domain_id else None
    text = " ".join(post.get("text", "").split()) or None
    try:
        if line is None:
            raise StocktakeError("Choose the line of the notes to make a finding from")
        if organisation is None:
            raise StocktakeError("Choose the organisation the finding is about")
        finding = actions.finding_from_note(
            session=session,
            line=line,
            organisation=organisation,
            by=request.user,
            text=text,
            domain=domain,
            section=post.get("section") or "learning",
        )
    except StocktakeError as exc:
        return render(
            request,
            "sessions/notes.html",
            _notes_context(
                page,
                session,
                tree=tree,
                made={
                    "error": str(exc),
                    "line": line,
                    "text": text or "",
                    "organisation": org_id,
                    "domain": domain_id,
                    "section": post.get("section", ""),
                },
            ),
            status=400,
        )
    messages.success(
        request,
        f"Finding {finding.pk} made from line {line}, with the "
        "machine's suggested themes for a reviewer to confirm.",
    )
    return redirect(_session_url(slug, session.pk, "session_notes") + f"#line-{line}")
