"""Golden threads of a register: the suggested and confirmed threads with their innovations,
asking the analysis for suggestions, renaming, describing, confirming and dissolving.

Only those who curate an organisation's register (leads and reviewers of its region,
administrators) reach these pages; innovations are listed through the register's scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stocktake.core.errors import EditConflict, InvalidInput, NotAllowed
from stocktake.reviews.models import Organisation
from stocktake.reviews.orgtree import OrgTree
from stocktake.track import actions
from stocktake.track import innovation_queries as queries
from stocktake.track.actions import threads as thread_actions
from stocktake.track.models import GoldenThread
from stocktake.track.scopes import innovation_scope, innovations_visible_to
from stocktake.web.innovation_forms import ThreadForm
from stocktake.web.presenters import innovations as present


def _curated_options(request, tree):
    scope = innovation_scope(request.user)
    if not scope.curates_any:
        raise PermissionDenied("Only leads and reviewers look after golden threads")
    visible = innovations_visible_to(request.user, scope=scope)
    return scope, [o for o in queries.organisation_options(
        visible, tree, within=None if scope.everything else scope.sees)
                   if scope.may_curate(o.value)]


def _thread(request, thread_id):
    thread = GoldenThread.objects.filter(pk=thread_id).select_related("organisation").first()
    if thread is None:
        raise Http404("No such golden thread")
    if not innovation_scope(request.user).may_curate(thread.organisation_id):
        raise PermissionDenied("Only a lead or reviewer of the region may change its threads")
    return thread


@login_required
def threads(request):
    tree = OrgTree.shared()
    scope, options = _curated_options(request, tree)
    chosen = request.GET.get("organisation", "")
    organisation = None
    if chosen.isdigit() and scope.may_curate(int(chosen)):
        organisation = Organisation.objects.filter(pk=int(chosen)).first()
    elif options:
        top = min(options, key=lambda o: len(tree.ancestors(o.value)))
        organisation = Organisation.objects.filter(pk=top.value).first()
    found, loose = [], 0
    if organisation is not None:
        visible = innovations_visible_to(request.user).order_by("title")
        found = list(GoldenThread.objects.filter(organisation=organisation)
                     .prefetch_related(Prefetch("innovations", queryset=visible
                                                .select_related("organisation")))
                     .order_by("confirmed", "name"))
        loose = (visible.filter(organisation_id__in=tree.descendants(organisation.pk),
                                golden_thread__isnull=True).count())
    return render(request, "innovations/threads.html", {
        "breadcrumbs": present.crumbs(), "organisation": organisation, "threads": found,
        "loose": loose,
        "organisation_items": present.select_items(options, organisation.pk if organisation
                                                   else None, everything="Choose a register"),
    })


@login_required
@require_POST
def suggest(request):
    value = request.POST.get("organisation", "")
    organisation = Organisation.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if organisation is None:
        raise Http404("No such organisation")
    back = redirect(f"{reverse('golden_threads')}?organisation={organisation.pk}")
    try:
        free = thread_actions.free_for_threads(organisation)
        if free > thread_actions.SYNC_SUGGESTIONS:
            thread_actions.queue_suggestions(organisation=organisation, by=request.user)
            messages.success(request, f"The analysis is grouping {free:,} innovations in the "
                                      "background; reload this page in a minute or two.")
            return back
        made = actions.suggest_golden_threads(organisation=organisation, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, f"{len(made)} golden thread{'' if len(made) == 1 else 's'} "
                              "suggested." if made else
                     "No threads to suggest: it takes at least four innovations outside the "
                     "confirmed threads, some of them alike.")
    return back


@login_required
def thread_edit(request, thread_id):
    thread = _thread(request, thread_id)
    form = ThreadForm(request.POST if request.method == "POST" else None)
    back = f"{reverse('golden_threads')}?organisation={thread.organisation_id}"
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_golden_thread(thread=thread, by=request.user, name=data["name"],
                                         description=data["description"],
                                         revision=data["revision"],
                                         confirm="confirm" in request.POST)
        except EditConflict as exc:
            form.add_error(None, str(exc))
            conflict = True
        except InvalidInput as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"Golden thread “{data['name']}” saved.")
            return redirect(back)
    values = ({k: form.data.get(k, "") for k in ("name", "description", "revision")}
              if form.is_bound else {"name": thread.name, "description": thread.description,
                                     "revision": thread.revision})
    members = innovations_visible_to(request.user).filter(golden_thread=thread).order_by("title")
    return render(request, "innovations/thread_form.html", {
        "breadcrumbs": present.crumbs(("Golden threads", back)), "thread": thread,
        "values": values, "errors": [{"text": e["text"], "href": "#name"}
                                     for e in form.error_list()] if form.is_bound else [],
        "field_errors": form.field_errors() if form.is_bound else {}, "conflict": conflict,
        "members": [present.row(i) for i in members.select_related("organisation",
                                                                     "golden_thread")
                    .prefetch_related("themes")],
        "back": back,
    })


@login_required
@require_POST
def thread_dissolve(request, thread_id):
    thread = _thread(request, thread_id)
    back = f"{reverse('golden_threads')}?organisation={thread.organisation_id}"
    count = actions.dissolve_golden_thread(thread=thread, by=request.user)
    messages.success(request, f"Golden thread “{thread.name}” dissolved; its {count} "
                              f"innovation{'' if count == 1 else 's'} are in no thread now.")
    return redirect(back)

