from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "cupure.stories"
    label = "stories"
