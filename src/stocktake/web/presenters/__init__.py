"""Presenters: plain classes and functions between models and templates.

They turn model objects (or the plain rows a view fetched) into what a page
shows: labels, tag colours, counts, URLs. They never query the database, so
they are unit-tested without one; the views fetch, scoped by the user's access,
and hand the results here.
"""
