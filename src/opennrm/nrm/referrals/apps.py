from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "opennrm.nrm.referrals"
    label = "referrals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The decider's share follows the status file (nrm/shares.py).
        from opennrm.nrm.referrals import status_shares

        status_shares.connect()
