from django.urls import path

from kyosai.web.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("procedures/<int:pk>/", views.procedure, name="procedure"),
]
