from django.urls import path

from cupure.comments import views

app_name = "comments"
urlpatterns = [
    path("article/<int:article_id>/", views.article_comments, name="article"),
    path("article/<int:article_id>/post/", views.comment_post, name="post"),
    path("c/<int:comment_id>/", views.permalink, name="permalink"),
    path("c/<int:comment_id>/reply/", views.reply, name="reply"),
    path("c/<int:comment_id>/edit/", views.edit, name="edit"),
    path("c/<int:comment_id>/delete/", views.delete, name="delete"),
    path("c/<int:comment_id>/vote/", views.vote, name="vote"),
    path("c/<int:comment_id>/flag/", views.flag, name="flag"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/c/<int:comment_id>/", views.moderate, name="moderate"),
    path("moderation/u/<str:username>/", views.user_history, name="user"),
]
