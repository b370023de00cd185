from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("cases/<int:pk>/assessments/new/<str:kind>/", views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/templates/", views.template_list, name="template_list"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("alerts/<int:pk>/read/", views.alert_read, name="alert_read"),
]
