"""Signing in and out with Django's own views and NHS.UK pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from stocktake.web.forms import SignInForm

login = auth_views.LoginView.as_view(
    template_name="auth/login.html", redirect_authenticated_user=True,
    authentication_form=SignInForm,
)
# Signing out is a POST (the header's "Sign out" button is a form with a CSRF token).
logout = auth_views.LogoutView.as_view()
