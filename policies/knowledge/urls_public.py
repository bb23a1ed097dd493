from django.urls import path

from policies.knowledge.views import helpcenter

app_name = "help"
urlpatterns = [
    path("", helpcenter.home, name="home"),
    path("search/", helpcenter.search, name="search"),
    path("suggest/", helpcenter.suggest, name="suggest"),
    path("c/<slug:slug>/", helpcenter.category, name="category"),
    path("a/<slug:slug>/", helpcenter.article, name="article"),
    path("a/<slug:slug>/feedback/", helpcenter.feedback, name="feedback"),
    path("images/<uuid:key>/", helpcenter.image, name="image"),
]
