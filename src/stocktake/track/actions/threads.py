"""Golden threads: suggested by the analysis, then renamed, described, confirmed or dissolved
by a lead; innovations move between them.

A thread belongs to the organisation whose register it was drawn from (a trust, a system,
a region): its innovations are that organisation's and those of the organisations below
it. Only someone who curates that organisation's register (a lead or reviewer of a review
of its region, or an administrator) changes its threads. Audit events name ids and
counts, never the text of a description.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from stocktake.analysis.threads import golden_threads
from stocktake.core import audit
from stocktake.core.edits import check_revision
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.reviews.models import Organisation
from stocktake.reviews.orgtree import OrgTree
from stocktake.track.models import GoldenThread, Innovation
from stocktake.track.scopes import innovation_scope

MAX_SUGGESTED_INNOVATIONS = 5000
# Up to this many innovations outside confirmed threads are grouped while the page waits
# (about a second); more go to the background worker (suggest_golden_threads_task).
SYNC_SUGGESTIONS = 300


def _may_curate(by, organisation_id: int) -> None:
    if by is not None and not innovation_scope(by).may_curate(organisation_id):
        raise NotAllowed("Only a lead or reviewer of the region may change its golden threads")


def register_of(organisation: Organisation):
    """The innovations of ``organisation``'s register: its own and those below it."""
    below = OrgTree.shared().descendants(organisation.pk)
    return Innovation.objects.filter(organisation_id__in=below)


def _unique_name(organisation: Organisation, name: str, taken: set[str]) -> str:
    base, n = name[:110], 2
    candidate = base
    while candidate.lower() in taken:
        candidate, n = f"{base} ({n})", n + 1
    taken.add(candidate.lower())
    return candidate


@transaction.atomic
def suggest_golden_threads(*, organisation: Organisation, by, seed: int = 0
                           ) -> list[GoldenThread]:
    """Group the register's innovations that no confirmed thread holds into suggested
    threads (unconfirmed suggestions from before are replaced). Returns the new ones."""
    _may_curate(by, organisation.pk)
    GoldenThread.objects.filter(organisation=organisation, confirmed=False).delete()
    free = list(register_of(organisation).filter(golden_thread__isnull=True)
                .order_by("pk").values_list("pk", "title", "what_changed")
                [:MAX_SUGGESTED_INNOVATIONS])
    if len(free) < 4:
        audit.record(actor=by, verb="golden_threads.suggested", subject=organisation, count=0)
        return []
    found = golden_threads([t for _, t, _ in free], [f"{t}. {w}" for _, t, w in free],
                           seed=seed)
    taken = {n.lower() for n in GoldenThread.objects.filter(organisation=organisation)
             .values_list("name", flat=True)}
    made = []
    for thread in found:
        name = _unique_name(organisation, thread.label, taken)
        made.append(GoldenThread.objects.create(
            organisation=organisation, name=name, suggested_label=thread.label[:255],
            description=""))
        Innovation.objects.filter(pk__in=[free[i][0] for i in thread.members]).update(
            golden_thread=made[-1])
    audit.record(actor=by, verb="golden_threads.suggested", subject=organisation,
                 count=len(made))
    return made


def free_for_threads(organisation: Organisation) -> int:
    """How many of the register's innovations are in no thread (what a suggestion groups)."""
    return register_of(organisation).filter(golden_thread__isnull=True).count()


@task()
def suggest_golden_threads_task(organisation_id: int, user_id: int | None) -> int:
    """The background task for large registers: suggest threads as ``user_id`` would."""
    organisation = Organisation.objects.get(pk=organisation_id)
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return len(suggest_golden_threads(organisation=organisation, by=by))


def queue_suggestions(*, organisation: Organisation, by) -> None:
    """Suggest threads in the background (checked for permission here, and again there)."""
    _may_curate(by, organisation.pk)
    suggest_golden_threads_task.enqueue(organisation.pk, getattr(by, "pk", None))


@transaction.atomic
def create_golden_thread(*, organisation: Organisation, name: str, by, description: str = "",
                         innovations=(), confirm: bool = True) -> GoldenThread:
    """A thread a lead names without the analysis (a board's own threads), with the
    innovations of the register it holds."""
    _may_curate(by, organisation.pk)
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("Enter a name for the golden thread")
    if len(name) > 120:
        raise InvalidInput("The name must be 120 characters or fewer")
    if GoldenThread.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise InvalidInput(f"This register already has a golden thread called “{name}”")
    below = OrgTree.shared().descendants(organisation.pk)
    outside = [i.title for i in innovations if i.organisation_id not in below]
    if outside:
        raise InvalidInput(f"“{outside[0]}” is not in {organisation.name}'s register")
    actor = by if getattr(by, "is_authenticated", False) else None
    thread = GoldenThread.objects.create(
        organisation=organisation, name=name, description=(description or "").strip(),
        confirmed=confirm, confirmed_by=actor if confirm else None,
        confirmed_at=timezone.now() if confirm else None)
    Innovation.objects.filter(pk__in=[i.pk for i in innovations]).update(golden_thread=thread)
    audit.record(actor=by, verb="golden_thread.created", subject=thread,
                 innovations=len(innovations), confirmed=confirm)
    return thread


@transaction.atomic
def update_golden_thread(*, thread: GoldenThread, by, name: str, description: str = "",
                         revision: int | None = None, confirm: bool = False) -> GoldenThread:
    """Rename and describe a thread (and confirm it, with ``confirm``)."""
    thread = GoldenThread.objects.select_for_update().get(pk=thread.pk)
    _may_curate(by, thread.organisation_id)
    check_revision(thread, revision, what="this golden thread")
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("Enter a name for the golden thread")
    if len(name) > 120:
        raise InvalidInput("The name must be 120 characters or fewer")
    if GoldenThread.objects.filter(organisation_id=thread.organisation_id,
                                   name__iexact=name).exclude(pk=thread.pk).exists():
        raise InvalidInput(f"This register already has a golden thread called “{name}”")
    changed = [f for f, v in (("name", name), ("description", description.strip()))
               if getattr(thread, f) != v]
    thread.name, thread.description = name, description.strip()
    if confirm and not thread.confirmed:
        thread.confirmed, thread.confirmed_by, thread.confirmed_at = True, by, timezone.now()
        changed.append("confirmed")
    if by is not None and not getattr(by, "is_authenticated", False):
        thread.confirmed_by = None
    thread.revision += 1
    thread.save()
    audit.record(actor=by, verb="golden_thread.updated", subject=thread, fields=changed)
    return thread


@transaction.atomic
def dissolve_golden_thread(*, thread: GoldenThread, by) -> int:
    """Remove a thread; its innovations are left in no thread. Returns how many."""
    thread = GoldenThread.objects.select_for_update().get(pk=thread.pk)
    _may_curate(by, thread.organisation_id)
    count = thread.innovations.count()
    audit.record(actor=by, verb="golden_thread.dissolved", subject=thread, innovations=count)
    thread.delete()
    return count


@transaction.atomic
def move_to_thread(*, innovation: Innovation, thread: GoldenThread | None, by) -> Innovation:
    """Put an innovation in ``thread`` (None: in none). The thread must be one of a register
    the innovation belongs to."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    _may_curate(by, innovation.organisation_id)
    if thread is not None:
        _may_curate(by, thread.organisation_id)
        if innovation.organisation_id not in OrgTree.shared().descendants(thread.organisation_id):
            raise InvalidInput(f"“{thread.name}” is a thread of another register")
    elif innovation.golden_thread_id is not None:
        _may_curate(by, innovation.golden_thread.organisation_id)
    previous = innovation.golden_thread_id
    innovation.golden_thread = thread
    innovation.save(update_fields=["golden_thread", "updated_at"])
    audit.record(actor=by, verb="innovation.thread_moved", subject=innovation,
                 previous=previous, thread=thread.pk if thread else None)
    return innovation
