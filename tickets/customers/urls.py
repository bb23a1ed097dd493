"""/customers/: the customer and organization pages (namespace ``customers``)."""

from django.urls import path

from tickets.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="customer-list"),
    path("<int:pk>/", views.customer_detail, name="customer-detail"),
    path("<int:pk>/edit/", views.customer_edit, name="customer-edit"),
    path("<int:pk>/notes/", views.customer_note, name="customer-note"),
    path("<int:pk>/merge/", views.customer_merge, name="customer-merge"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization-detail"),
]
