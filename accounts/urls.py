from django.urls import path

from . import auth_views, library_views, seller_views, support_views, views

app_name = "accounts"

urlpatterns = [
    # Panel
    path("", views.AccountOverviewView.as_view(), name="overview"),
    path("profile/", views.CustomerProfileView.as_view(), name="profile"),
    path("password/", views.CustomerPasswordChangeView.as_view(), name="password"),
    path(
        "products/", library_views.CustomerMyProductListView.as_view(), name="products"
    ),
    path("orders/", library_views.CustomerOrderHistoryView.as_view(), name="orders"),
    path(
        "become-a-seller/",
        seller_views.SellerApplyView.as_view(),
        name="seller_apply",
    ),
    # Signing in and out
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/link/", auth_views.MagicLinkRequestView.as_view(), name="magic_link"),
    path(
        "login/link/<str:token>/",
        auth_views.MagicLinkOpenView.as_view(),
        name="magic_link_open",
    ),
    path("register/", auth_views.RegisterView.as_view(), name="register"),
    path("register/sent/", auth_views.RegisterSentView.as_view(), name="register_sent"),
    # E-mail verification
    path(
        "verify/resend/",
        auth_views.ResendVerificationView.as_view(),
        name="verify_resend",
    ),
    path("verify/<str:token>/", auth_views.VerifyEmailView.as_view(), name="verify"),
    # Password reset
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("support/", support_views.CustomerMySupportListView.as_view(), name="support"),
]
