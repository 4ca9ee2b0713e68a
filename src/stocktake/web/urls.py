"""The web pages. Names are used with url() in templates and reverse() in presenters."""

from django.urls import path

from stocktake.web.views import auth, findings, lists, report, reviews

urlpatterns = [
    path("", reviews.reviews_list, name="reviews"),
    path("sign-in/", auth.login, name="login"),
    path("sign-out/", auth.logout, name="logout"),
    path("reviews/<slug:slug>/", reviews.review_dashboard, name="review"),
    path("reviews/<slug:slug>/findings/", findings.findings_list, name="findings"),
    path("reviews/<slug:slug>/findings/<int:finding_id>/", findings.finding_detail, name="finding"),
    path("reviews/<slug:slug>/examples/", lists.examples_list, name="examples"),
    path("reviews/<slug:slug>/recommendations/", lists.recommendations_list,
         name="recommendations"),
    path("reviews/<slug:slug>/report/", report.review_report, name="review_report"),
]
