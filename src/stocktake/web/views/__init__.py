"""Views: fetch through the user's access, hand rows to presenters, render a page.

Every module here is checked by tests/web/test_scoping_lint.py: a query on
findings, submissions, examples, recommendations or codes must be scoped with
``visible_to(access)`` (or, for codes, by findings that were).
"""
