from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "punte.api"
    label = "api"
