from django.urls import path

from opennrm.web.exchange import views

urlpatterns = [
    path("exchange/htcds/import/", views.htcds_import, name="htcds_import"),
    path("exchange/htcds/export.xlsx", views.htcds_export, name="htcds_export"),
]
