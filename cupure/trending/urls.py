from django.urls import path

from cupure.trending import views

app_name = "trending"
urlpatterns = [
    # str, not slug: topic slugs keep letters of every script ("über", "東京").
    path("<str:slug>/", views.topic, name="topic"),
]
