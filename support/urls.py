from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("new/<int:product_id>/", views.SupportRequestCreateView.as_view(), name="new"),
    path("<int:pk>/", views.SupportRequestDetailView.as_view(), name="detail"),
    path("<int:pk>/messages/", views.SupportMessageCreateView.as_view(), name="reply"),
    path("<int:pk>/cancel/", views.SupportCancelView.as_view(), name="cancel"),
    path("<int:pk>/complete/", views.SupportCompleteView.as_view(), name="complete"),
]
