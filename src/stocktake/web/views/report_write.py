"""Writing the report (leads and reviewers: ``edit_report``): the index of its parts, the
summary narrative, the method note and one page per theme (narrative and evidence).

Everything works without JavaScript: each form posts, the change goes through its action
(``report.actions.builder`` and ``report.actions.writing``), and the page redirects back
with a notice. Narratives carry the revision they were loaded with; when someone else
saved in between, nothing is saved and the page shows the writer's text with theirs.
Observations and evidence are in :mod:`stocktake.web.views.report_write_items`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from stocktake.core.errors import EditConflict, StocktakeError
from stocktake.report import writing
from stocktake.report.actions import builder
from stocktake.report.models import TextKind
from stocktake.web.presenters import report_write as present
from stocktake.web.presenters.report_nav import report_menu
from stocktake.web.views.base import ReviewPage, review_page

CONFLICT = ("Someone else saved this text while you were editing it. Nothing was saved: your "
            "text is still in the box, and their version is shown below it.")


def write_page(request, slug: str, *, trail: bool = True) -> ReviewPage:
    """A writing page: 404 for anyone who may not edit the report (as the draft report)."""
    crumbs = [("Report", reverse("review_report", kwargs={"slug": slug}))]
    if trail:
        crumbs.append(("Write", reverse("report_write", kwargs={"slug": slug})))
    page = review_page(request, slug, current="review_report", trail=crumbs)
    if not page.access.has("edit_report"):
        raise Http404("No report found")
    return page


def context(page: ReviewPage, **extra) -> dict:
    return page.context(report_pages=report_menu(page.review, page.access, "report_write"),
                        format_hint=present.FORMAT_HINT, **extra)


def posted_revision(post) -> int:
    """The form's hidden revision; a form without one is refused (it might overwrite)."""
    value = post.get("revision", "")
    if not value.isdigit():
        raise StocktakeError("The form was missing its revision; reload the page and try again.")
    return int(value)


def kept_revision(post, default: int) -> int:
    """The revision a refused form goes back with: the one it was loaded at, so that a later
    save is still checked against it (``default`` when it came without one)."""
    value = post.get("revision", "")
    return int(value) if value.isdigit() else default


def edit_text(request, page: ReviewPage, *, kind: str, theme=None, what: str):
    """Handle a narrative's form: (a redirect after saving, None) or (None, its editor)."""
    stored = writing.report_text(page.review, kind, theme)
    editor = present.TextEditor.of(stored)
    if request.method != "POST":
        return None, editor
    source = request.POST.get("source", "")
    try:
        builder.save_report_text(review=page.review, kind=kind, theme=theme, source=source,
                                 by=request.user, expected_revision=posted_revision(request.POST))
    except EditConflict:
        theirs = writing.report_text(page.review, kind, theme)
        # The form now carries their revision: saving again, having merged, replaces theirs.
        return None, present.TextEditor(
            source=source, revision=theirs.revision if theirs else 0, error=CONFLICT,
            saved_html=editor.saved_html, theirs=theirs,
            theirs_by=present.user_name(theirs.updated_by) if theirs else "")
    except StocktakeError as exc:  # keeps the revision it was loaded at: still checked next time
        return None, present.TextEditor(source=source, revision=kept_revision(request.POST,
                                                                              editor.revision),
                                        error=str(exc), saved_html=editor.saved_html)
    messages.success(request, f"{what} saved.")
    return redirect(request.path), None


def _status(editor: present.TextEditor) -> int:
    if editor.theirs is not None:
        return 409
    return 400 if editor.error else 200


@login_required
def report_write(request, slug):
    page = write_page(request, slug, trail=False)
    review = page.review
    return render(request, "reports/write.html", context(
        page, themes=writing.theme_statuses(review, page.access), short_reach=present.short_reach,
        written=writing.texts_written(review),
        observation_count=len(writing.summary_observations(review))))


@login_required
def report_write_summary(request, slug):
    page = write_page(request, slug)
    done, editor = edit_text(request, page, kind=TextKind.SUMMARY, what="The summary")
    if done:
        return done
    return render_summary(request, page, editor=editor, status=_status(editor))


def render_summary(request, page: ReviewPage, *, editor: present.TextEditor, status: int = 200,
                   adding: dict | None = None):
    """The summary page; ``adding``: the new observation's form as posted, with its error."""
    review = page.review
    themes = writing.themes_of(review)
    adding = adding or {"text": "", "theme": None, "error": ""}
    rows = present.observation_rows(writing.summary_observations(review),
                                    writing.theme_observations(review, themes))
    errors = [{"text": e, "href": h} for e, h in ((editor.error, "#source"),
                                                   (adding["error"], "#observation-text")) if e]
    return render(request, "reports/write_summary.html", context(
        page, editor=editor, observations=rows, adding=adding, errors=errors,
        theme_items=present.theme_items(themes, adding["theme"])), status=status)


@login_required
def report_write_method(request, slug):
    page = write_page(request, slug)
    done, editor = edit_text(request, page, kind=TextKind.METHOD, what="The method note")
    if done:
        return done
    return render(request, "reports/write_method.html", context(page, editor=editor),
                  status=_status(editor))


def theme_of(page: ReviewPage, key: str):
    theme = writing.theme_by_key(page.review, key)
    if theme is None:
        raise Http404("No such theme in this review's framework")
    return theme


def _neighbours(themes, theme) -> tuple:
    index = [t.pk for t in themes].index(theme.pk)
    return (themes[index - 1] if index else None,
            themes[index + 1] if index + 1 < len(themes) else None, index + 1)


@login_required
def report_write_theme(request, slug, key):
    page = write_page(request, slug)
    theme = theme_of(page, key)
    done, editor = edit_text(request, page, kind=TextKind.THEME, theme=theme,
                             what=f"The narrative for {theme.name}")
    if done:
        return done
    review, access = page.review, page.access
    themes = writing.themes_of(review)
    previous, following, position = _neighbours(themes, theme)
    section = writing.theme_section(review, theme)
    chosen = writing.chosen_evidence(access, theme)
    return render(request, "reports/write_theme.html", context(
        page, theme=theme, position=position, total=len(themes), previous=previous,
        following=following, editor=editor, section=section,
        reach=present.reach(section.observation), chosen=chosen,
        suggested=present.quote_rows(section.quotes, slug=slug) if not chosen else [],
        recommendations=writing.theme_recommendations(access, theme),
        recommendations_href=present.optional_address("report_recommendations", slug)),
        status=_status(editor))
