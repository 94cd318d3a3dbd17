from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cupure.web"
    label = "web"
