from django.contrib.auth import views as auth_views
from django.urls import path

from . import support_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.AccountOverviewView.as_view(), name="overview"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("support/", support_views.CustomerMySupportListView.as_view(), name="support"),
]
