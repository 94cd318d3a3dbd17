from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "cupure.worker"
    label = "worker"
