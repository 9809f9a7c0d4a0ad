from django.urls import URLPattern, path

from opennrm.web.notices import views

urlpatterns: list[URLPattern] = [
    path("notifications/", views.notification_list, name="notification_list"),
    path(
        "notifications/preferences/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path(
        "notifications/<uuid:notification_id>/",
        views.notification_open,
        name="notification_open",
    ),
]
