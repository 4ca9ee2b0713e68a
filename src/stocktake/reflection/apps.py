"""Reflection sessions: a review's meetings with each system's leaders (about 90 minutes)
to explore the significant learning behind their submissions.

The app holds the sessions (when, where, with whom, attendees), their agenda drafted from
the assessment (``agenda.py``), the reviewers' notes and the findings made from them, and
the summary; every change is an action in ``actions.py``; ``ics.py`` writes the calendar
file. Named ``reflection`` so it cannot be confused with ``django.contrib.sessions``
(sign-in sessions). It sits between ``assess`` and ``report`` in the layers
(ARCHITECTURE.md): it reads findings and their themes, and the report's method counts
the sessions held.
"""

from django.apps import AppConfig


class ReflectionConfig(AppConfig):
    name = "stocktake.reflection"
    label = "reflection"
    verbose_name = "Reflection sessions"
    default_auto_field = "django.db.models.BigAutoField"
