from django.urls import path

from kyosai.web.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("approvals/", views.approvals, name="approvals"),
    path("procedures/<int:pk>/", views.procedure, name="procedure"),
    path("procedures/<int:pk>/claim/", views.claim, name="claim"),
    path("procedures/<int:pk>/release/", views.release, name="release"),
    path("procedures/<int:pk>/second-approval/", views.second_approval, name="second_approval"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/", views.member, name="member"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("audit/", views.audit, name="audit"),
    path("billing/", views.billing_runs, name="billing_runs"),
    path("billing/<int:pk>/", views.billing_run, name="billing_run"),
]
