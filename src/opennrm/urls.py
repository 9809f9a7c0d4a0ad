from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("opennrm.api.urls")),
    path("", include("opennrm.web.urls")),
]
