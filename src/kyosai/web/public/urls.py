from django.urls import path

from kyosai.web.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
]
