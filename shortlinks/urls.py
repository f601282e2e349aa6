from django.urls import path

from . import views

app_name = "shortlinks"

urlpatterns = [
    path("<str:slug>/", views.shortlink_redirect, name="redirect"),
]
