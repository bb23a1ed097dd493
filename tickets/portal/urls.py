from django.urls import path

from tickets.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("link/<str:token>/", views.follow_link, name="link"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/reply/", views.request_reply, name="request-reply"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
]
