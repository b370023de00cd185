from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/logout/", LogoutView.as_view(), name="logout"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/organization/", views.organization_switch, name="organization_switch"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password-reset/", views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/two-factor-reset/", views.user_two_factor_reset, name="user_two_factor_reset"),
    path("users/<int:pk>/memberships/", views.membership_create, name="membership_create"),
    path("memberships/<int:pk>/", views.membership_edit, name="membership_edit"),
]
