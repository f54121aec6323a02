from django.core.management.base import BaseCommand, CommandError

from curriculum.library.services import library_load


class Command(BaseCommand):
    help = "Load the shipped lesson files into the database (migrate does this too); a teacher's copies are never touched."

    def handle(self, *args, **options):
        report = library_load()
        self.stdout.write(
            f"{len(report.created)} lessons added, {len(report.updated)} updated, {len(report.unchanged)} unchanged."
        )
        for error in report.errors:
            self.stderr.write(f"Not loaded: {error}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} lesson files were not loaded (see above).")
