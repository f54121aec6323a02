"""The instruments' answers to Django's events, connected in ``SurveysConfig.ready()``."""

from surveys.instruments.services import instruments_load


def instruments_load_after_migrate(sender, using="default", **kwargs):
    """Heard's shipped instruments are in every database ``migrate`` (or a test's flush) leaves behind."""
    instruments_load(using=using)
