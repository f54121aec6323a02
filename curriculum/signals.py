"""The curriculum's answers to other apps' events, connected in ``CurriculumConfig.ready()``."""

from curriculum.exercises.services import session_guesses_rescore
from curriculum.library.services import library_load, visits_year_lessons_plan


def library_load_after_migrate(sender, using="default", **kwargs):
    """The shipped lessons are in every database ``migrate`` (or a test's flush) leaves behind."""
    library_load(using=using)


def visit_guesses_rescore(sender, instance, **kwargs):
    """What the instructor logged at a baby visit is the key of that visit's feelings guesses."""
    session_guesses_rescore(session_id=instance.session_id)


def session_plans_follow_program_year(sender, program_year, now=None, **kwargs):
    """A family-visits year's sessions were (re)made: plan their Baby-visits lessons (never over a teacher's choice)."""
    visits_year_lessons_plan(program_year=program_year, now=now)
