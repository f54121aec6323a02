from django.db.models import QuerySet

from accounts.models import User
from accounts.permissions import student_scope


def students_for(user) -> QuerySet[User]:
    return User.objects.filter(student_scope(user))
