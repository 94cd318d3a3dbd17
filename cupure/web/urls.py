from django.urls import path

from cupure.web.views import article, feeds, home, listing, search, sitemaps, system

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    path("a/<int:article_id>/", article.article, name="article"),
    path("a/<int:article_id>/<slug:slug>/", article.article, name="article-slug"),
    path("section/<slug:slug>/", listing.section, name="section"),
    path("source/<slug:slug>/", listing.source, name="source"),
    path("search/", search.search_page, name="search"),
    path("feeds/rss/", feeds.home_rss, name="feed-rss"),
    path("feeds/atom/", feeds.home_atom, name="feed-atom"),
    path("feeds/section/<slug:slug>/rss/", feeds.section_rss, name="section-rss"),
    path("feeds/section/<slug:slug>/atom/", feeds.section_atom, name="section-atom"),
    path("feeds/source/<slug:slug>/rss/", feeds.source_rss, name="source-rss"),
    path("feeds/source/<slug:slug>/atom/", feeds.source_atom, name="source-atom"),
    path("feeds/topic/<str:slug>/rss/", feeds.topic_rss, name="topic-rss"),
    path("feeds/topic/<str:slug>/atom/", feeds.topic_atom, name="topic-atom"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-pages.xml", sitemaps.sitemap_pages, name="sitemap-pages"),
    path("sitemap-articles-<int:number>.xml", sitemaps.sitemap_articles, name="sitemap-articles"),
    path("sitemap-news.xml", sitemaps.sitemap_news, name="sitemap-news"),
    path("healthz", system.healthz, name="healthz"),
    path("robots.txt", system.robots_txt, name="robots"),
]
