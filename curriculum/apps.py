from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_library(sender, using="default", **kwargs):
    """The shipped lessons are in every database ``migrate`` (or a test's flush) leaves behind."""
    from curriculum.library.services import library_load

    library_load(using=using)


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = _("Curriculum")

    def ready(self):
        post_migrate.connect(_load_library, sender=self, dispatch_uid="curriculum-load-library")
