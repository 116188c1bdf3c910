from django.urls import path

from kyosai.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("oidc/<str:provider>/login/", views.login_start, name="oidc_login"),
    path("oidc/<str:provider>/callback/", views.callback, name="oidc_callback"),
]
