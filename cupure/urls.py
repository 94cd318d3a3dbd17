from django.contrib import admin
from django.urls import include, path

admin.site.site_header = admin.site.site_title = "cupure administration"
# The sidebar takes a quarter of a laptop screen from every list, and the sources list needs the width.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("cupure.api.urls")),
    path("accounts/", include("cupure.accounts.urls")),
    path("comments/", include("cupure.comments.urls")),
    path("story/", include("cupure.stories.urls")),
    path("topic/", include("cupure.trending.urls")),
    path("", include("cupure.web.urls")),
]

handler404 = "cupure.web.views.errors.page_not_found"
handler500 = "cupure.web.views.errors.server_error"
