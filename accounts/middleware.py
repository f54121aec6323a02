from django.utils import timezone


class SchoolTimeZoneMiddleware:
    """Show times in the signed-in user's school time zone; storage stays UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        school = getattr(request.user, "school", None) if request.user.is_authenticated else None
        if school is not None:
            timezone.activate(school.zone)
        else:
            timezone.deactivate()
        return self.get_response(request)
