from django.urls import path

from policies.knowledge.views import articles

app_name = "knowledge"
urlpatterns = [
    path("", articles.article_list, name="article-list"),
    path("new/", articles.article_new, name="article-new"),
    path("images/", articles.image_upload, name="image-upload"),
    path("<int:pk>/", articles.article_detail, name="article-detail"),
    path("<int:pk>/settings/", articles.article_settings, name="article-settings"),
    path("<int:pk>/suggest/", articles.article_suggest, name="article-suggest"),
]
