from django.apps import AppConfig


class TrendingConfig(AppConfig):
    name = "cupure.trending"
    label = "trending"
