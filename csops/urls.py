from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

# The root urls wire the apps' urls and pages: the one csops module that imports apps.
from csops import views
from policies.views.home import home
from tickets.followers import views as follower_views
from tickets.mail.inbound import views as inbound_mail_views
from tickets.portal import views as portal_views
from tickets.views import surveys as survey_views

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tickets/", include("tickets.urls")),
    path("customers/", include("tickets.customers.urls")),
    path("staff/", include("staffing.urls")),
    # Public CSAT survey: the signed token is the key (login-exempt in csops.middleware).
    path("survey/<str:token>/", survey_views.survey, name="survey"),
    # Customers' doors, no login (login-exempt in csops.middleware): the contact form and the
    # portal, whose magic link opens a session for one email address.
    path("contact/", portal_views.contact, name="contact"),
    # Follow an open public incident instead of writing (tickets/followers).
    path("contact/incidents/<int:pk>/follow/", follower_views.follow, name="incident-follow"),
    path("contact/follow/<str:token>/", follower_views.confirm, name="incident-follow-confirm"),
    path("contact/unfollow/<str:token>/", follower_views.unfollow, name="incident-unfollow"),
    # Raw-MIME inbound mail (providers' webhooks), authenticated by a shared secret.
    path("mail/inbound/", inbound_mail_views.inbound_webhook, name="mail-inbound"),
    path("portal/", include("tickets.portal.urls")),
    path("policies/", include("policies.urls")),
    path("knowledge/", include("policies.knowledge.urls")),
    # The public help center (no login; login-exempt in csops.middleware).
    path("help/", include("policies.knowledge.urls_public")),
    path("kpis/", include("kpis.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("csops.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # A page for people: the anonymous are sent to log in (the schema itself stays an API).
    path(
        "api/docs/",
        login_required(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

handler404 = "csops.views.not_found"
handler500 = "csops.views.server_error"
