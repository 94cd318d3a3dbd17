from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cupure.api"
    label = "api"
