from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "cupure.sources"
    label = "sources"
