from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("kyosai.web.public.urls")),
    path("", include("kyosai.web.customer.urls")),
    path("staff/", include("kyosai.web.staff.urls")),
    path("agency/", include("kyosai.web.agency.urls")),
    path("", include("kyosai.web.accounts.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
