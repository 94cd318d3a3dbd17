from django.urls import path

from cupure.stories import views

app_name = "stories"
urlpatterns = [
    path("<int:story_id>/", views.story, name="story"),
    path("<int:story_id>/feed/", views.story_feed, name="story-feed"),
]
