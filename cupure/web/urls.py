from django.urls import path

from cupure.web.views import article, home, listing, system

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    path("a/<int:article_id>/", article.article, name="article"),
    path("a/<int:article_id>/<slug:slug>/", article.article, name="article-slug"),
    path("section/<slug:slug>/", listing.section, name="section"),
    path("source/<slug:slug>/", listing.source, name="source"),
    path("healthz", system.healthz, name="healthz"),
    path("robots.txt", system.robots_txt, name="robots"),
]
