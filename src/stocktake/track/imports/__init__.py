"""Undoing an import: what an import batch created, what depends on it, and removing it all.

:mod:`.plan` reads what undoing a batch would remove and what work depends on it
(a reviewer's theme decisions on its findings, recommendations citing them, progress
reported on recommendations it brought in, responses to them from other documents);
:mod:`.actions` removes it and imports large uploads in the background; :mod:`.staged`
imports one staged file. It lives in track, the highest app, because a batch may have
created recommendations and case studies (report's) and responses (track's).
"""
