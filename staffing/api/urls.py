from rest_framework.routers import SimpleRouter

from staffing.api import views

app_name = "staffing-api"

router = SimpleRouter()
router.register("teams", views.TeamViewSet, basename="team")
urlpatterns = router.urls
