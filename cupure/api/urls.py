from django.urls import path

from cupure.api.endpoints import api

urlpatterns = [path("", api.urls)]
