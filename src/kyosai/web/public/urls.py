from django.urls import path

from kyosai.web.public import second_factor, views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/", views.after_login, name="after_login"),
    path("2fa/setup/", second_factor.setup, name="totp_setup"),
    path("2fa/verify/", second_factor.verify, name="totp_verify"),
]
