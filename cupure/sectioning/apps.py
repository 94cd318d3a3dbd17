from django.apps import AppConfig


class SectioningConfig(AppConfig):
    name = "cupure.sectioning"
    label = "sectioning"
