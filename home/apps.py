from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top of Heard: each role's home page and the demo data. It imports every app; none imports it."""

    name = "home"
    verbose_name = _("Home")
