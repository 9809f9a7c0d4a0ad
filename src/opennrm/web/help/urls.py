from django.urls import path

from opennrm.web.help import views

urlpatterns = [
    path("help/", views.help_index, name="help_index"),
    path("help/<slug:area>/", views.help_page, name="help_page"),
]
