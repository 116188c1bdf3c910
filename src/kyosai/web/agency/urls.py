from django.urls import path

from kyosai.web.agency import views

app_name = "agency"
urlpatterns = [
    path("", views.home, name="home"),
    path("enroll/<str:scheme>/", views.enroll, name="enroll"),
    path("loan/", views.kyosaikin_loan, name="kyosaikin_loan"),
    path("links/<int:pk>/", views.link, name="link"),
    path("procedures/<int:pk>/", views.procedure, name="procedure"),
    path("results/", views.results, name="results"),
    path("clients/", views.client_lookup, name="client_lookup"),
    path("contracts/<int:pk>/", views.client, name="client"),
    path("contracts/<int:pk>/premium/", views.premium_change, name="premium_change"),
    path("contracts/<int:pk>/address/", views.party_change, name="party_change"),
]
