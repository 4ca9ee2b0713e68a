"""Styled pages for the refusals Django would otherwise answer with a bare page.

- 405: a GET on an address only a form's button posts to (``/sign-out/``, a
  reminder, an upload's confirm). Django answers those with an empty body, which a
  browser shows as its own error page; :class:`MethodNotAllowedPage` (middleware)
  puts this site's page in that empty body instead.
- CSRF failure (``CSRF_FAILURE_VIEW``): a form sent after its page expired (or
  from another tab after signing out): :func:`csrf_failure`.

404, 403 and 500 use Django's own handlers with templates 404.html, 403.html, 500.html.
"""

from __future__ import annotations

import re

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

_REVIEW = re.compile(r"^/reviews/(?P<slug>[-\w]+)/")


def way_back(request) -> tuple[str, str]:
    """(text, href) of the nearest page to go back to: the review the address is
    under, else the reviews list."""
    if match := _REVIEW.match(request.path):
        return "Go to the review", reverse("review", kwargs={"slug": match["slug"]})
    return "Go to your reviews", reverse("reviews")


class MethodNotAllowedPage:
    """Middleware: an empty 405 answer becomes the styled 405.html (same status, same Allow)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method == "HEAD":
            return response
        text, href = way_back(request)
        page = render(request, "405.html", {"back_text": text, "back_href": href}, status=405)
        if allow := response.get("Allow"):
            page["Allow"] = allow
        return page


def csrf_failure(request, reason: str = ""):
    """The page for a form whose security token had expired or was missing: send it again."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        text, href = "Go back to the form", referer
    else:
        text, href = way_back(request)
    return render(request, "csrf.html", {"back_text": text, "back_href": href}, status=403)
