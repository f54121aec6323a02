from django.core.management.base import BaseCommand, CommandError

from surveys.instruments.services import instruments_load


class Command(BaseCommand):
    help = (
        "Load Heard's shipped instrument files (surveys/instruments/shipped/) into the database; migrate does "
        "this too. A school's imported instruments are never touched, nor a shipped one a survey has used."
    )

    def handle(self, *args, **options):
        report = instruments_load()
        self.stdout.write(
            f"{len(report.created)} instruments added, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.kept)} kept as they were."
        )
        for slug in report.created:
            self.stdout.write(f"Added: {slug}")
        for slug in report.updated:
            self.stdout.write(f"Updated: {slug}")
        for slug in report.kept:
            self.stdout.write(
                self.style.WARNING(
                    f"Kept as it was: {slug}. Its file changed, but a survey window has used it, so its answers "
                    "keep the words and scale they were given to. Ship the change under a new slug."
                )
            )
        for error in report.errors:
            self.stderr.write(f"Not loaded: {error}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} instrument files were not loaded (see above).")
