"""Undoing an import: what an import batch created, what depends on it, and removing it all.

:mod:`.plan` reads what undoing a batch would remove and what work depends on it
(a reviewer's theme decisions on its findings, recommendations citing them, progress
reported on recommendations it brought in); :mod:`.actions` removes it. It lives in
report because a batch may have created recommendations, which are this app's.
"""
