"""Reflection sessions: where a review's participants meet to reflect on what it found.

A reflection session belongs to a review between assessing and reporting: the
lead gathers contributors from several organisations, walks through the
themes, consistent and distinctive messages, and records what the group
concluded, which feeds the report's narrative and recommendations. The app
will hold the session, its attendees (participants' contacts, named by id in
the audit trail), its agenda of themes and the notes agreed, each change an
action in ``reflection/actions.py``.

Named ``reflection`` so it cannot be confused with ``django.contrib.sessions``
(sign-in sessions). It sits between ``assess`` and ``report`` in the layers
(ARCHITECTURE.md): it reads findings and their themes, and the report builder
reads what the sessions concluded. No models yet.
"""
