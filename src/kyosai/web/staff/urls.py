from django.urls import path

from kyosai.web.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("procedures/<int:pk>/", views.procedure, name="procedure"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/", views.member, name="member"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("audit/", views.audit, name="audit"),
    path("billing/", views.billing_runs, name="billing_runs"),
    path("billing/<int:pk>/", views.billing_run, name="billing_run"),
]
