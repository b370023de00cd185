from django.urls import path

from . import views

app_name = "reference"
urlpatterns = [
    path("", views.county_list, name="county_list"),
    path("groupings/new/", views.grouping_create, name="grouping_create"),
    path("groupings/<slug:code>/", views.grouping_detail, name="grouping_detail"),
    path("groupings/<slug:code>/edit/", views.grouping_edit, name="grouping_edit"),
]
