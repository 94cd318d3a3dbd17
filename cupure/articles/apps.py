from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "cupure.articles"
    label = "articles"
