"""Importing one staged upload file with the choices made for it in the preview.

Used by the upload's "Confirm import" for small files (in the request) and by the
background task :func:`~stocktake.track.imports.actions.run_import` for large ones,
so both import exactly what the preview showed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from stocktake.analysis.errors import InputError
from stocktake.collect import actions as collect_actions
from stocktake.collect import staging
from stocktake.collect.choices import mapping_from
from stocktake.collect.importing import ImportResult
from stocktake.collect.models import ImportBatch
from stocktake.core.errors import StocktakeError
from stocktake.reviews.models import Organisation
from stocktake.track.importing import import_document

log = logging.getLogger(__name__)


def record_failure(batch: ImportBatch, name: str, message: str, by) -> dict:
    collect_actions.record_batch_file(batch=batch, name=name, by=by,
                                      result=ImportResult(path=name, error=message))
    return {"name": name, "ok": False, "message": message, "problems": []}


def import_staged_file(*, review, staged: staging.Staged, item: staging.StagedFile, by,
                       batch: ImportBatch, allowed: set[int] | None = None,
                       progress: Callable[[int, int], None] | None = None) -> dict:
    """Import one staged file into ``batch``; its result for the results page (never raises
    for a bad file: the failure is recorded in the batch and returned). ``progress(done,
    total)``: pages read so far, for long reads (a scanned PDF's text recognition)."""
    choices = staged.choices_for(item)
    ids = [pk for pk in [choices.organisation, *choices.organisations.values()]
           if pk is not None and (allowed is None or pk in allowed)]
    orgs = Organisation.objects.in_bulk(ids)
    try:
        result = import_document(
            review=review, path=staged.path(item), by=by, original_name=item.name,
            organisation=orgs.get(choices.organisation), mapping=mapping_from(choices.columns),
            batch=batch, exclude=set(choices.exclude), theme_choices=choices.themes or None,
            progress=progress, new_organisations=choices.new_organisations,
            organisations={name: orgs[pk] for name, pk in choices.organisations.items() if pk in orgs})
    except (StocktakeError, InputError) as exc:
        return record_failure(batch, item.name, str(exc), by)
    except Exception:  # noqa: BLE001 - each import is atomic; report, never a server error
        log.exception("Import of staged file %s failed", item.name)
        return record_failure(batch, item.name, f"{item.name}: could not be imported because of "
                                                "an unexpected error; nothing from it was saved", by)
    return {"name": item.name, "ok": True, "created": result.created, "message": result.message,
            "problems": [str(p) for p in result.problems[:20]]}
