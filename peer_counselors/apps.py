from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerCounselorsConfig(AppConfig):
    name = "peer_counselors"
    verbose_name = _("Peer counselors")
