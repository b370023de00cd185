from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("intake/", views.referral_list, name="referral_list"),
    path("intake/new/", views.referral_create, name="referral_create"),
    path("intake/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
]
