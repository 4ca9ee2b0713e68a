from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

# No Django admin: every change goes through actions (and their audit events),
# which the admin would bypass. Use the CLI or the review pages instead.
urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("vendor/nhsuk/assets/images/favicon.ico"))),
    path("", include("stocktake.web.urls")),
]
