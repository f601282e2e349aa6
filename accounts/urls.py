from django.contrib.auth import views as auth_views
from django.urls import path

from . import library_views, views

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
    path(
        "products/", library_views.CustomerMyProductListView.as_view(), name="products"
    ),
    path("orders/", library_views.CustomerOrderHistoryView.as_view(), name="orders"),
]
