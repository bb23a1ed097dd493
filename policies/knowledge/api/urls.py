from django.urls import include, path
from rest_framework.routers import SimpleRouter

from policies.knowledge.api import views

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("article-sections", views.SectionViewSet, basename="article-section")
router.register("article-feedback", views.FeedbackViewSet, basename="article-feedback")

urlpatterns = [path("", include((router.urls, "knowledge-api")))]
