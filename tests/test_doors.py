"""Every door of Heard: each URL the resolver knows, asked by each persona, against one table of outcomes.

Each persona asks about its "own" objects and about an "other" school's (see HOME and AWAY), by GET and
by POST with form data that would be valid; a URL about two objects is also asked "mixed": the persona's
own classroom with another classroom's session, family, theme or student. The answer must be the one the
table gives, and no page may show a sentinel string of anything the persona's scopes leave out
(tests/test_scopes.py holds those scopes; tests/access.py's world seeds the sentinels).

Each request runs in a savepoint that is rolled back, so a POST (a session cancelled, a student removed,
a password changed) leaves the world as the next request expects it, whatever the order.
"""

import json
import time
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from classrooms.models import BabyObservation, Classroom, Enrollment, VisitingFamily
from classrooms.school_years import current_school_year
from classrooms.selectors import teacher_candidates
from classrooms.visits import charts
from curriculum.models import LiveMember, Story
from peer_counselors.models import CounselorProfile, DutyPeriod, HelpDesk, HelpMessage, HelpRequest
from tests.access import PERSONAS
from tests.factories import PASSWORD, TeacherFactory
from tests.test_csrf import our_url_names, snapshot
from tests.test_docker_compose import SIGNIN_ROUTES
from tests.test_scopes import CURRICULUM_EXPECTED, PEER_EXPECTED, SURVEYS_EXPECTED
from tests.test_scopes import EXPECTED as SCOPES

pytestmark = pytest.mark.django_db

# "own": a classroom of the persona's own school (A1 for school A's people, the anonymous visitor and D1's
# admin, whose district holds A; B1 for school B's people; C1 for D2's admin). "other": a classroom of a
# school the persona does not belong to. "mixed" pairs the own classroom with MIXED's objects.
HOME = dict.fromkeys(PERSONAS, "A1") | {
    "other_school_teacher": "B1", "other_school_admin": "B1", "other_district_admin": "C1",
}
AWAY = dict.fromkeys(PERSONAS, "B1") | {
    "other_school_teacher": "A1", "other_school_admin": "A1", "district_admin": "C1", "other_district_admin": "A1",
}
MIXED = {"A1": "A2", "B1": "A1", "C1": "A1"}  # whose session, family, theme or pupil goes under the own classroom
# Asked about "own" and "other" although their path names no object: what is looked at comes in the data.
OBJECT_IN_DATA = {"classrooms:fidelity", "classrooms:join", "classrooms:roster_import", "surveys:cycle_create", "curriculum:live_start"}
# Routes whose query (query_of) a POST sends too: the form posts back to its own address.
QUERY_ON_POST = {"curriculum:assignment_create"}

# Outcomes: a status code, or "login" for a redirect to sign-in that comes back here (login_required); any
# other redirect is "302". The inactive teacher's session counts for nothing: they meet what the visitor meets.
REFUSED = {"login", "400", "403", "404", "405"}  # answers after which nothing may have been written
# Columns, in PERSONAS' order: anonymous, inactive, student, other_student, teacher, other_school_teacher,
# visit_instructor, counselor, school_admin, other_school_admin, district_admin, other_district_admin.
DOORS = {
    #                                                          anon  inact stud  ostud teach oteach instr couns sadm  osadm dadm  odadm
    # Home, and the container's health check
    ("dashboard", "GET", "own"):                              "login login 200   200   200   200   200   200   200   200   200   200",
    ("dashboard", "POST", "own"):                             "login login 200   200   200   200   200   200   200   200   200   200",
    ("healthz", "GET", "own"):                                "200   200   200   200   200   200   200   200   200   200   200   200",
    ("healthz", "POST", "own"):                               "200   200   200   200   200   200   200   200   200   200   200   200",
    # The page's language (Django's set_language): anyone, signed in or not, back to where they were
    ("set_language", "GET", "own"):                           "302   302   302   302   302   302   302   302   302   302   302   302",
    ("set_language", "POST", "own"):                          "302   302   302   302   302   302   302   302   302   302   302   302",
    # Signing in and out, passwords (Django's views): a POST signs in as, or resets, the persona's own account
    ("login", "GET", "own"):                                  "200   200   302   302   302   302   302   302   302   302   302   302",
    ("login", "POST", "own"):                                 "302   200   302   302   302   302   302   302   302   302   302   302",
    ("logout", "GET", "own"):                                 "405   405   405   405   405   405   405   405   405   405   405   405",
    ("logout", "POST", "own"):                                "302   302   302   302   302   302   302   302   302   302   302   302",
    ("password_change", "GET", "own"):                        "login login 200   200   200   200   200   200   200   200   200   200",
    ("password_change", "POST", "own"):                       "login login 302   302   302   302   302   302   302   302   302   302",
    ("password_change_done", "GET", "own"):                   "login login 200   200   200   200   200   200   200   200   200   200",
    ("password_change_done", "POST", "own"):                  "login login 405   405   405   405   405   405   405   405   405   405",
    # Sign-in locks: the school admin's list of their school's locked accounts (none here), and clearing one
    ("sign_in_locks", "GET", "own"):                          "login login 404   404   404   404   404   404   200   200   404   404",
    ("sign_in_locks", "POST", "own"):                         "login login 405   405   405   405   405   405   405   405   405   405",
    ("sign_in_lock_clear", "GET", "own"):                     "login login 405   405   405   405   405   405   405   405   405   405",
    ("sign_in_lock_clear", "POST", "own"):                    "login login 404   404   404   404   404   404   302   302   404   404",
    ("sign_in_lock_clear", "GET", "other"):                   "login login 405   405   405   405   405   405   405   405   405   405",
    ("sign_in_lock_clear", "POST", "other"):                  "login login 404   404   404   404   404   404   302   302   404   404",
    ("password_reset", "GET", "own"):                         "200   200   200   200   200   200   200   200   200   200   200   200",
    ("password_reset", "POST", "own"):                        "302   302   302   302   302   302   302   302   302   302   302   302",
    ("password_reset_done", "GET", "own"):                    "200   200   200   200   200   200   200   200   200   200   200   200",
    ("password_reset_done", "POST", "own"):                   "405   405   405   405   405   405   405   405   405   405   405   405",
    # "own": the persona's real link (on to the set-password step); "other": someone else's id with a wrong token
    ("password_reset_confirm", "GET", "own"):                 "302   302   302   302   302   302   302   302   302   302   302   302",
    ("password_reset_confirm", "POST", "own"):                "302   302   302   302   302   302   302   302   302   302   302   302",
    ("password_reset_confirm", "GET", "other"):               "200   200   200   200   200   200   200   200   200   200   200   200",
    ("password_reset_confirm", "POST", "other"):              "200   200   200   200   200   200   200   200   200   200   200   200",
    ("password_reset_complete", "GET", "own"):                "200   200   200   200   200   200   200   200   200   200   200   200",
    ("password_reset_complete", "POST", "own"):               "405   405   405   405   405   405   405   405   405   405   405   405",
    #                                                          anon  inact stud  ostud teach oteach instr couns sadm  osadm dadm  odadm
    # Classrooms: the list, a new one, joining with a code ("own": the own classroom's code; "other": another school's)
    ("classrooms:list", "GET", "own"):                        "login login 200   200   200   200   200   200   200   200   200   200",
    ("classrooms:list", "POST", "own"):                       "login login 200   200   200   200   200   200   200   200   200   200",
    ("classrooms:create", "GET", "own"):                      "login login 404   404   200   200   404   404   404   404   404   404",
    ("classrooms:create", "POST", "own"):                     "login login 404   404   302   302   404   404   404   404   404   404",
    ("classrooms:join", "GET", "own"):                        "login login 200   200   404   404   404   404   404   404   404   404",
    ("classrooms:join", "POST", "own"):                       "login login 302   302   404   404   404   404   404   404   404   404",
    ("classrooms:join", "GET", "other"):                      "login login 200   200   404   404   404   404   404   404   404   404",
    ("classrooms:join", "POST", "other"):                     "login login 200   200   404   404   404   404   404   404   404   404",
    # A classroom's page opens to whoever may see it; a POST there is read like a GET
    ("classrooms:detail", "GET", "own"):                      "login login 200   404   200   200   200   404   200   200   200   200",
    ("classrooms:detail", "POST", "own"):                     "login login 200   404   200   200   200   404   200   200   200   200",
    ("classrooms:detail", "GET", "other"):                    "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:detail", "POST", "other"):                   "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:leave", "GET", "own"):                       "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:leave", "POST", "own"):                      "login login 302   404   404   404   404   404   404   404   404   404",
    ("classrooms:leave", "GET", "other"):                     "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:leave", "POST", "other"):                    "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:code_regenerate", "GET", "own"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:code_regenerate", "POST", "own"):            "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:code_regenerate", "GET", "other"):           "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:code_regenerate", "POST", "other"):          "login login 404   404   404   404   404   404   404   404   404   404",
    # Its teachers: a teacher invites a colleague of the school (school B has none left to invite: a form error, 200);
    # only the school's admin removes one ("mixed": a teacher of another classroom, not this one's)
    ("classrooms:teachers", "GET", "own"):                    "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:teachers", "POST", "own"):                   "login login 404   404   302   200   404   404   302   200   404   404",
    ("classrooms:teachers", "GET", "other"):                  "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:teachers", "POST", "other"):                 "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:teacher_remove", "GET", "own"):              "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:teacher_remove", "POST", "own"):             "login login 404   404   404   404   404   404   302   302   404   404",
    ("classrooms:teacher_remove", "GET", "other"):            "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:teacher_remove", "POST", "other"):           "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:teacher_remove", "GET", "mixed"):            "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:teacher_remove", "POST", "mixed"):           "login login 404   404   404   404   404   404   404   404   404   404",
    # The join code full screen, for a projector: the people who may hand the code out
    ("classrooms:code_display", "GET", "own"):                "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:code_display", "POST", "own"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:code_display", "GET", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:code_display", "POST", "other"):             "login login 405   405   405   405   405   405   405   405   405   405",
    #                                                          anon  inact stud  ostud teach oteach instr couns sadm  osadm dadm  odadm
    # Students' accounts: for the classroom's teachers and its school's admin only
    ("classrooms:students_add", "GET", "own"):                "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:students_add", "POST", "own"):               "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:students_add", "GET", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:students_add", "POST", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:cards", "GET", "own"):                       "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:cards", "POST", "own"):                      "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:cards", "GET", "other"):                     "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:cards", "POST", "other"):                    "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:enrollment_remove", "GET", "own"):           "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:enrollment_remove", "POST", "own"):          "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:enrollment_remove", "GET", "other"):         "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:enrollment_remove", "POST", "other"):        "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:enrollment_remove", "GET", "mixed"):         "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:enrollment_remove", "POST", "mixed"):        "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:student_unlock", "GET", "own"):              "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:student_unlock", "POST", "own"):             "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:student_unlock", "GET", "other"):            "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:student_unlock", "POST", "other"):           "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:student_unlock", "GET", "mixed"):            "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:student_unlock", "POST", "mixed"):           "login login 404   404   404   404   404   404   404   404   404   404",
    # One student's name corrected, and one student's new password and card (a GET asks first)
    ("classrooms:student_name", "GET", "own"):                "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:student_name", "POST", "own"):               "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:student_name", "GET", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:student_name", "POST", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:student_name", "GET", "mixed"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:student_name", "POST", "mixed"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:student_card", "GET", "own"):                "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:student_card", "POST", "own"):               "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:student_card", "GET", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:student_card", "POST", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:student_card", "GET", "mixed"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:student_card", "POST", "mixed"):             "login login 404   404   404   404   404   404   404   404   404   404",
    #                                                          anon  inact stud  ostud teach oteach instr couns sadm  osadm dadm  odadm
    # The roster import, for school admins ("other": a file naming another school's student); nothing is staged to confirm
    ("classrooms:roster_import", "GET", "own"):               "login login 404   404   404   404   404   404   200   200   404   404",
    ("classrooms:roster_import", "POST", "own"):              "login login 404   404   404   404   404   404   200   200   404   404",
    ("classrooms:roster_import", "GET", "other"):             "login login 404   404   404   404   404   404   200   200   404   404",
    ("classrooms:roster_import", "POST", "other"):            "login login 404   404   404   404   404   404   200   200   404   404",
    ("classrooms:roster_import_confirm", "GET", "own"):       "login login 404   404   404   404   404   404   405   405   404   404",
    ("classrooms:roster_import_confirm", "POST", "own"):      "login login 404   404   404   404   404   404   302   302   404   404",
    ("classrooms:roster_import_done", "GET", "own"):          "login login 404   404   404   404   404   404   302   302   404   404",
    ("classrooms:roster_import_done", "POST", "own"):         "login login 404   404   404   404   404   404   302   302   404   404",
    # The program-fidelity report, for admins ("own": ?school= a school of theirs; "other": a school outside it)
    ("classrooms:fidelity", "GET", "own"):                    "login login 404   404   404   404   404   404   200   200   200   200",
    ("classrooms:fidelity", "POST", "own"):                   "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:fidelity", "GET", "other"):                  "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:fidelity", "POST", "other"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    # The calendar feed needs no sign-in: its token is the key ("own": the classroom's token; "other": a wrong one)
    ("classrooms:calendar_feed", "GET", "own"):               "200   200   200   200   200   200   200   200   200   200   200   200",
    ("classrooms:calendar_feed", "POST", "own"):              "405   405   405   405   405   405   405   405   405   405   405   405",
    ("classrooms:calendar_feed", "GET", "other"):             "404   404   404   404   404   404   404   404   404   404   404   404",
    ("classrooms:calendar_feed", "POST", "other"):            "405   405   405   405   405   405   405   405   405   405   405   405",
    ("classrooms:calendar_link", "GET", "own"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:calendar_link", "POST", "own"):              "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:calendar_link", "GET", "other"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:calendar_link", "POST", "other"):            "login login 404   404   404   404   404   404   404   404   404   404",
    #                                                          anon  inact stud  ostud teach oteach instr couns sadm  osadm dadm  odadm
    # The program year and its sessions: anyone who opens the classroom reads the list; its managers change it
    ("classrooms:program_year", "GET", "own"):                "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:program_year", "POST", "own"):               "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:program_year", "GET", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:program_year", "POST", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:sessions", "GET", "own"):                    "login login 200   404   200   200   200   404   200   200   200   200",
    ("classrooms:sessions", "POST", "own"):                   "login login 200   404   200   200   200   404   200   200   200   200",
    ("classrooms:sessions", "GET", "other"):                  "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:sessions", "POST", "other"):                 "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_reschedule", "GET", "own"):          "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:session_reschedule", "POST", "own"):         "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:session_reschedule", "GET", "other"):        "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_reschedule", "POST", "other"):       "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_reschedule", "GET", "mixed"):        "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_reschedule", "POST", "mixed"):       "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_cancel", "GET", "own"):              "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:session_cancel", "POST", "own"):             "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:session_cancel", "GET", "other"):            "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:session_cancel", "POST", "other"):           "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_cancel", "GET", "mixed"):            "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:session_cancel", "POST", "mixed"):           "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_restore", "GET", "own"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:session_restore", "POST", "own"):            "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:session_restore", "GET", "other"):           "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:session_restore", "POST", "other"):          "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_restore", "GET", "mixed"):           "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:session_restore", "POST", "mixed"):          "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_held", "GET", "own"):                "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:session_held", "POST", "own"):               "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:session_held", "GET", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_held", "POST", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_held", "GET", "mixed"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_held", "POST", "mixed"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_title", "GET", "own"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:session_title", "POST", "own"):              "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:session_title", "GET", "other"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:session_title", "POST", "other"):            "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:session_title", "GET", "mixed"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("classrooms:session_title", "POST", "mixed"):            "login login 404   404   404   404   404   404   404   404   404   404",
    #                                                          anon  inact stud  ostud teach oteach instr couns sadm  osadm dadm  odadm
    # Family visits: the instructor reads the classroom (and its chart) but changes none of it
    ("classrooms:family_create", "GET", "own"):               "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:family_create", "POST", "own"):              "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:family_create", "GET", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:family_create", "POST", "other"):            "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:family_edit", "GET", "own"):                 "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:family_edit", "POST", "own"):                "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:family_edit", "GET", "other"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:family_edit", "POST", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:family_edit", "GET", "mixed"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:family_edit", "POST", "mixed"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:theme_edit", "GET", "own"):                  "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:theme_edit", "POST", "own"):                 "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:theme_edit", "GET", "other"):                "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:theme_edit", "POST", "other"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:theme_edit", "GET", "mixed"):                "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:theme_edit", "POST", "mixed"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:observation", "GET", "own"):                 "login login 404   404   200   200   404   404   200   200   404   404",
    ("classrooms:observation", "POST", "own"):                "login login 404   404   302   302   404   404   302   302   404   404",
    ("classrooms:observation", "GET", "other"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:observation", "POST", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:observation", "GET", "mixed"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:observation", "POST", "mixed"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:baby_chart", "GET", "own"):                  "login login 200   404   200   200   200   404   200   200   200   200",
    ("classrooms:baby_chart", "POST", "own"):                 "login login 200   404   200   200   200   404   200   200   200   200",
    ("classrooms:baby_chart", "GET", "other"):                "login login 404   404   404   404   404   404   404   404   404   404",
    ("classrooms:baby_chart", "POST", "other"):               "login login 404   404   404   404   404   404   404   404   404   404",
    #                                                          anon  inact stud  ostud teach oteach instr couns sadm  osadm dadm  odadm
    # Notifications: one's own ("other": the other classroom's teacher's)
    ("notifications:list", "GET", "own"):                     "login login 200   200   200   200   200   200   200   200   200   200",
    ("notifications:list", "POST", "own"):                    "login login 200   200   200   200   200   200   200   200   200   200",
    ("notifications:read", "GET", "own"):                     "login login 405   405   405   405   405   405   405   405   405   405",
    ("notifications:read", "POST", "own"):                    "login login 302   302   302   302   302   302   302   302   302   302",
    ("notifications:read", "GET", "other"):                   "login login 405   405   405   405   405   405   405   405   405   405",
    ("notifications:read", "POST", "other"):                  "login login 404   404   404   404   404   404   404   404   404   404",
    ("notifications:read_all", "GET", "own"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("notifications:read_all", "POST", "own"):                "login login 302   302   302   302   302   302   302   302   302   302",
    #                                                          anon  inact stud  ostud teach oteach instr couns sadm  osadm dadm  odadm
    # curriculum-assignments. Giving a library activity (?activity=) to a classroom, and its grid: its teachers and its school's admin
    ("curriculum:assignment_create", "GET", "own"):           "login login 404   404   200   200   404   404   200   200   404   404",
    ("curriculum:assignment_create", "POST", "own"):          "login login 404   404   302   302   404   404   302   302   404   404",
    ("curriculum:assignment_create", "GET", "other"):         "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:assignment_create", "POST", "other"):        "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:classroom_assignments", "GET", "own"):       "login login 404   404   200   200   404   404   200   200   404   404",
    ("curriculum:classroom_assignments", "POST", "own"):      "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:classroom_assignments", "GET", "other"):     "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:classroom_assignments", "POST", "other"):    "login login 405   405   405   405   405   405   405   405   405   405",
    # One assignment: its classroom's managers; its student is sent on to their own work; anyone else's is a 404
    ("curriculum:assignment", "GET", "own"):                  "login login 302   404   200   200   404   404   200   200   404   404",
    ("curriculum:assignment", "POST", "own"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:assignment", "GET", "other"):                "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:assignment", "POST", "other"):               "login login 405   405   405   405   405   405   405   405   405   405",
    # A student's own work ("own": the student's own submission, else the room's pupil's; "other": another school's pupil's).
    # The classroom's teachers review it; the school's admin sees states, never an answer. The pupil's work is in progress:
    # a reclaim, a review and a return are refused with a message (302)
    ("curriculum:my_work", "GET", "own"):                     "login login 200   200   404   404   404   404   404   404   404   404",
    ("curriculum:my_work", "POST", "own"):                    "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission", "GET", "own"):                  "login login 200   404   200   200   404   404   404   404   404   404",
    ("curriculum:submission", "POST", "own"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission", "GET", "other"):                "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:submission", "POST", "other"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission_save", "GET", "own"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission_save", "POST", "own"):            "login login 302   404   404   404   404   404   404   404   404   404",
    ("curriculum:submission_save", "GET", "other"):           "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission_save", "POST", "other"):          "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:submission_turn_in", "GET", "own"):          "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission_turn_in", "POST", "own"):         "login login 302   404   404   404   404   404   404   404   404   404",
    ("curriculum:submission_turn_in", "GET", "other"):        "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission_turn_in", "POST", "other"):       "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:submission_reclaim", "GET", "own"):          "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission_reclaim", "POST", "own"):         "login login 302   404   404   404   404   404   404   404   404   404",
    ("curriculum:submission_reclaim", "GET", "other"):        "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission_reclaim", "POST", "other"):       "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:submission_review", "GET", "own"):           "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission_review", "POST", "own"):          "login login 404   404   302   302   404   404   404   404   404   404",
    ("curriculum:submission_review", "GET", "other"):         "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission_review", "POST", "other"):        "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:submission_excuse", "GET", "own"):           "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission_excuse", "POST", "own"):          "login login 404   404   302   302   404   404   404   404   404   404",
    ("curriculum:submission_excuse", "GET", "other"):         "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:submission_excuse", "POST", "other"):        "login login 404   404   404   404   404   404   404   404   404   404",
    # A classroom's Practice page and its chart: the classroom's managers (the school admin without student rows)
    ("curriculum:practice", "GET", "own"):                    "login login 404   404   200   200   404   404   200   200   404   404",
    ("curriculum:practice", "POST", "own"):                   "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:practice", "GET", "other"):                  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:practice", "POST", "other"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:practice_chart", "GET", "own"):              "login login 404   404   200   200   404   404   200   200   404   404",
    ("curriculum:practice_chart", "POST", "own"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:practice_chart", "GET", "other"):            "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:practice_chart", "POST", "other"):           "login login 405   405   405   405   405   405   405   405   405   405",
    # The story wall (tests/access.py's _stories): a class's wall and its stories for its students and teachers; the
    # review queue and decisions for its teachers; the reading figures for them and the school admin; a student's
    # own writing, sending and consent for them alone. "mixed": A2's story, shared onto A1's wall.
    ("curriculum:story_wall", "GET", "own"):  "login login 200   404   200   200   404   404   404   404   404   404",
    ("curriculum:story_wall", "POST", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_wall", "GET", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_wall", "POST", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_review", "GET", "own"):  "login login 404   404   200   200   404   404   404   404   404   404",
    ("curriculum:story_review", "POST", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_review", "GET", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_review", "POST", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_engagement", "GET", "own"):  "login login 404   404   200   200   404   404   200   200   404   404",
    ("curriculum:story_engagement", "POST", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_engagement", "GET", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_engagement", "POST", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story", "GET", "own"):      "login login 200   404   200   200   404   404   404   404   404   404",
    ("curriculum:story", "POST", "own"):     "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story", "GET", "other"):    "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:story", "POST", "other"):   "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story", "GET", "mixed"):    "login login 200   404   200   404   404   404   404   404   404   404",
    ("curriculum:story", "POST", "mixed"):   "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_open", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_open", "POST", "own"):  "login login 302   404   302   302   404   404   404   404   404   404",
    ("curriculum:story_open", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_open", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_open", "GET", "mixed"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_open", "POST", "mixed"):  "login login 302   404   302   404   404   404   404   404   404   404",
    ("curriculum:story_read_time", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_read_time", "POST", "own"):  "login login 204   404   204   204   404   404   404   404   404   404",
    ("curriculum:story_read_time", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_read_time", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_read_time", "GET", "mixed"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_read_time", "POST", "mixed"):  "login login 204   404   204   404   404   404   404   404   404   404",
    ("curriculum:story_decide", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_decide", "POST", "own"):  "login login 404   404   302   302   404   404   404   404   404   404",
    ("curriculum:story_decide", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_decide", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_decide", "GET", "mixed"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_decide", "POST", "mixed"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_write", "GET", "own"):  "login login 200   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_write", "POST", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_write", "GET", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_write", "POST", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_send", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_send", "POST", "own"):  "login login 302   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_send", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_send", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_consent", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_consent", "POST", "own"):  "login login 302   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_consent", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_consent", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    # Live class practice: the world's runs are dilemmas (tests/access.py's _live_runs). A run's page and poll: its
    # classroom's students and leaders; the projector and every step: its leaders (the teacher, the school admin)
    ("curriculum:live_start", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_start", "POST", "own"):  "login login 404   404   302   302   404   404   302   302   404   404",
    ("curriculum:live_start", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_start", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:live", "GET", "own"):       "login login 200   404   200   200   404   404   200   200   404   404",
    ("curriculum:live", "POST", "own"):      "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live", "GET", "other"):     "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:live", "POST", "other"):    "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_projector", "GET", "own"):  "login login 404   404   200   200   404   404   200   200   404   404",
    ("curriculum:live_projector", "POST", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_projector", "GET", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:live_projector", "POST", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_poll", "GET", "own"):  "login login 200   404   200   200   404   404   200   200   404   404",
    ("curriculum:live_poll", "POST", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_poll", "GET", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:live_poll", "POST", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_poll", "GET", "mixed"):  "login login 200   404   200   200   404   404   200   200   404   404",
    ("curriculum:live_poll", "POST", "mixed"):  "login login 405   405   405   405   405   405   405   405   405   405",
    # Each kind's own steps, asked about the world's runs, which are dilemmas: a student's vote and restatement
    # (A1's run is at its grouping step, so both are refused with the form again and its message: 200); a rating
    # of no restatement; a circle's and a puzzle's steps, which find no run of their kind (404). Their flows are
    # walked in tests/curriculum/dilemmas/, circles/ and live/test_team_puzzle.py.
    ("curriculum:dilemma_vote", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:dilemma_vote", "POST", "own"):  "login login 200   404   404   404   404   404   404   404   404   404",
    ("curriculum:dilemma_vote", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:dilemma_vote", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:dilemma_restate", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:dilemma_restate", "POST", "own"):  "login login 200   404   404   404   404   404   404   404   404   404",
    ("curriculum:dilemma_restate", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:dilemma_restate", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_choose", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_choose", "POST", "own"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_choose", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_choose", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_finish", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_finish", "POST", "own"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_finish", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_finish", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_rate", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_rate", "POST", "own"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_rate", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_rate", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_card", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_card", "POST", "own"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_card", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_card", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:puzzle_contribution", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:puzzle_contribution", "POST", "own"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:puzzle_contribution", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:puzzle_contribution", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:puzzle_answer", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:puzzle_answer", "POST", "own"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:puzzle_answer", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:puzzle_answer", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_pause", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_pause", "POST", "own"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_pause", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_pause", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_resume", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_resume", "POST", "own"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_resume", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_resume", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_skip", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_skip", "POST", "own"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_skip", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_skip", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_minutes", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_minutes", "POST", "own"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:circle_minutes", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:circle_minutes", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:dilemma_rate", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:dilemma_rate", "POST", "own"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:dilemma_rate", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:dilemma_rate", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:dilemma_rate", "GET", "mixed"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:dilemma_rate", "POST", "mixed"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:live_advance", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_advance", "POST", "own"):  "login login 404   404   302   302   404   404   302   302   404   404",
    ("curriculum:live_advance", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_advance", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:live_close", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_close", "POST", "own"):  "login login 404   404   302   302   404   404   302   302   404   404",
    ("curriculum:live_close", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_close", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:live_groups", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_groups", "POST", "own"):  "login login 404   404   302   302   404   404   302   302   404   404",
    ("curriculum:live_groups", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_groups", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:live_move", "GET", "own"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_move", "POST", "own"):  "login login 404   404   302   302   404   404   302   302   404   404",
    ("curriculum:live_move", "GET", "other"):  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:live_move", "POST", "other"):  "login login 404   404   404   404   404   404   404   404   404   404",
    # The exercises' own steps. The world's assignment is perspective writing, which has no partners and no
    # spread: the teacher asking for pairs is told so (back to the page); the rest are 404 even for its owners.
    ("curriculum:pairs_redo", "GET", "own"):                  "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:pairs_redo", "POST", "own"):                 "login login 404   404   302   302   404   404   302   302   404   404",
    ("curriculum:pairs_redo", "GET", "other"):                "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:pairs_redo", "POST", "other"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:pairs_choose", "GET", "own"):                "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:pairs_choose", "POST", "own"):               "login login 404   404   302   302   404   404   302   302   404   404",
    ("curriculum:pairs_choose", "GET", "other"):              "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:pairs_choose", "POST", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:class_spread", "GET", "own"):                "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:class_spread", "POST", "own"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:class_spread", "GET", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:class_spread", "POST", "other"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_share", "GET", "own"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_share", "POST", "own"):                "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:story_share", "GET", "other"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:story_share", "POST", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:retelling_rate", "GET", "own"):              "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:retelling_rate", "POST", "own"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:retelling_rate", "GET", "other"):            "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:retelling_rate", "POST", "other"):           "login login 404   404   404   404   404   404   404   404   404   404",
    # A student's own accuracy over the year
    ("curriculum:my_practice", "GET", "own"):                 "login login 200   200   404   404   404   404   404   404   404   404",
    ("curriculum:my_practice", "POST", "own"):                "login login 405   405   405   405   405   405   405   405   405   405",
    # --- The curriculum ---------------------------------------------------------------------------------------
    # The lesson library: every adult with a school or district browses it, students never; a teacher writes lessons
    ("curriculum:library", "GET", "own"):                     "login login 404   404   200   200   200   200   200   200   200   200",
    ("curriculum:library", "POST", "own"):                    "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:lesson_create", "GET", "own"):               "login login 404   404   200   200   404   404   404   404   404   404",
    ("curriculum:lesson_create", "POST", "own"):              "login login 404   404   302   302   404   404   404   404   404   404",
    # One lesson ("own": the lesson the home classroom's teacher wrote, theirs alone; "other": another school's
    # teacher's); "mixed": the own lesson with another lesson's activity
    ("curriculum:lesson", "GET", "own"):                      "login login 404   404   200   200   404   404   404   404   404   404",
    ("curriculum:lesson", "POST", "own"):                     "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:lesson", "GET", "other"):                    "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:lesson", "POST", "other"):                   "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:lesson_preview", "GET", "own"):              "login login 404   404   200   200   404   404   404   404   404   404",
    ("curriculum:lesson_preview", "POST", "own"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:lesson_preview", "GET", "other"):            "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:lesson_preview", "POST", "other"):           "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:lesson_copy", "GET", "own"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:lesson_copy", "POST", "own"):                "login login 404   404   302   302   404   404   404   404   404   404",
    ("curriculum:lesson_copy", "GET", "other"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:lesson_copy", "POST", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:lesson_edit", "GET", "own"):                 "login login 404   404   200   200   404   404   404   404   404   404",
    ("curriculum:lesson_edit", "POST", "own"):                "login login 404   404   302   302   404   404   404   404   404   404",
    ("curriculum:lesson_edit", "GET", "other"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:lesson_edit", "POST", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:lesson_delete", "GET", "own"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:lesson_delete", "POST", "own"):              "login login 404   404   302   302   404   404   404   404   404   404",
    ("curriculum:lesson_delete", "GET", "other"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:lesson_delete", "POST", "other"):            "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:activity_create", "GET", "own"):             "login login 404   404   200   200   404   404   404   404   404   404",
    ("curriculum:activity_create", "POST", "own"):            "login login 404   404   302   302   404   404   404   404   404   404",
    ("curriculum:activity_create", "GET", "other"):           "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:activity_create", "POST", "other"):          "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:activity_edit", "GET", "own"):               "login login 404   404   200   200   404   404   404   404   404   404",
    ("curriculum:activity_edit", "POST", "own"):              "login login 404   404   302   302   404   404   404   404   404   404",
    ("curriculum:activity_edit", "GET", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:activity_edit", "POST", "other"):            "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:activity_edit", "GET", "mixed"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:activity_edit", "POST", "mixed"):            "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:activity_delete", "GET", "own"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:activity_delete", "POST", "own"):            "login login 404   404   302   302   404   404   404   404   404   404",
    ("curriculum:activity_delete", "GET", "other"):           "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:activity_delete", "POST", "other"):          "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:activity_delete", "GET", "mixed"):           "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:activity_delete", "POST", "mixed"):          "login login 404   404   404   404   404   404   404   404   404   404",
    # On to the assignment page, for a classroom one manages (?classroom=: the home classroom)
    ("curriculum:activity_assign", "GET", "own"):             "login login 404   404   302   302   404   404   404   404   404   404",
    ("curriculum:activity_assign", "POST", "own"):            "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:activity_assign", "GET", "other"):           "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:activity_assign", "POST", "other"):          "login login 405   405   405   405   405   405   405   405   405   405",
    ("curriculum:activity_assign", "GET", "mixed"):           "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:activity_assign", "POST", "mixed"):          "login login 405   405   405   405   405   405   405   405   405   405",
    # The lesson a session teaches: the classroom's managers choose it (a POST of no lesson takes the plan away)
    ("curriculum:session_plan", "GET", "own"):                "login login 404   404   200   200   404   404   200   200   404   404",
    ("curriculum:session_plan", "POST", "own"):               "login login 404   404   302   302   404   404   302   302   404   404",
    ("curriculum:session_plan", "GET", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:session_plan", "POST", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:session_plan", "GET", "mixed"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("curriculum:session_plan", "POST", "mixed"):             "login login 404   404   404   404   404   404   404   404   404   404",
    #                                                          anon  inact stud  ostud teach oteach instr couns sadm  osadm dadm  odadm
    # Surveys: the outcomes pages ("own": the cycle of the home classroom's school). A cycle's outcomes, its charts
    # and its CSV: the classrooms' teachers and the school's and district's admins; the student-level export: the
    # admins only (a GET explains it, a POST sends the file and records it)
    ("surveys:outcomes", "GET", "own"):                       "login login 404   404   200   200   404   404   200   200   200   200",
    ("surveys:outcomes", "POST", "own"):                      "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:outcomes", "GET", "other"):                     "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:outcomes", "POST", "other"):                    "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:outcomes_chart", "GET", "own"):                 "login login 404   404   200   200   404   404   200   200   200   200",
    ("surveys:outcomes_chart", "POST", "own"):                "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:outcomes_chart", "GET", "other"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:outcomes_chart", "POST", "other"):              "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:outcomes_csv", "GET", "own"):                   "login login 404   404   200   200   404   404   200   200   200   200",
    ("surveys:outcomes_csv", "POST", "own"):                  "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:outcomes_csv", "GET", "other"):                 "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:outcomes_csv", "POST", "other"):                "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:outcomes_students_csv", "GET", "own"):          "login login 404   404   404   404   404   404   200   200   200   200",
    ("surveys:outcomes_students_csv", "POST", "own"):         "login login 404   404   404   404   404   404   200   200   200   200",
    ("surveys:outcomes_students_csv", "GET", "other"):        "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:outcomes_students_csv", "POST", "other"):       "login login 404   404   404   404   404   404   404   404   404   404",
    # Every school's cycles of a district at once: its admin only, and only once a cycle has a pre and a post window
    # (the world's cycles have a pre window alone, so the district's admin meets a 404 too; tests/surveys/
    # test_outcomes_pages.py opens it on a district whose cycles are complete)
    ("surveys:district_outcomes", "GET", "own"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:district_outcomes", "POST", "own"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:district_outcomes_chart", "GET", "own"):        "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:district_outcomes_chart", "POST", "own"):       "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:district_outcomes_csv", "GET", "own"):          "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:district_outcomes_csv", "POST", "own"):         "login login 405   405   405   405   405   405   405   405   405   405",
    #                                                          anon  inact stud  ostud teach oteach instr couns sadm  osadm dadm  odadm
    # Peer counselors (orange hats): a student's own page and asking; an orange hat's queue; the counselors' whole queue
    ("peer_counselors:mine", "GET", "own"):                   "login login 200   200   404   404   404   404   404   404   404   404",
    ("peer_counselors:mine", "POST", "own"):                  "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:ask", "GET", "own"):                    "login login 200   200   404   404   404   404   404   404   404   404",
    ("peer_counselors:ask", "POST", "own"):                   "login login 302   302   404   404   404   404   404   404   404   404",
    ("peer_counselors:queue", "GET", "own"):                  "login login 404   200   404   404   404   404   404   404   404   404",
    ("peer_counselors:queue", "POST", "own"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:supervise", "GET", "own"):              "login login 404   404   404   404   200   200   404   404   404   404",
    ("peer_counselors:supervise", "POST", "own"):             "login login 405   405   405   405   405   405   405   405   405   405",
    # A request ("own": A1's, the student's, offered to the other student; B1's and C1's for their schools' people):
    # the student who asked, the orange hat it is offered to and the school's counselors; nobody else, ever
    ("peer_counselors:request", "GET", "own"):                "login login 200   200   404   404   200   200   404   404   404   404",
    ("peer_counselors:request", "POST", "own"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:request", "GET", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:request", "POST", "other"):             "login login 405   405   405   405   405   405   405   405   405   405",
    # What those who see it do with it; whoever may not is told why on the request's page (a 302):
    # its messages (an orange hat it is only offered to is told they cannot write yet)
    ("peer_counselors:message", "GET", "own"):                "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:message", "POST", "own"):               "login login 302   302   404   404   302   302   404   404   404   404",
    ("peer_counselors:message", "GET", "other"):              "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:message", "POST", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:withdraw", "GET", "own"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:withdraw", "POST", "own"):              "login login 302   302   404   404   302   302   404   404   404   404",
    ("peer_counselors:withdraw", "GET", "other"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:withdraw", "POST", "other"):            "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:accept", "GET", "own"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:accept", "POST", "own"):                "login login 302   302   404   404   302   302   404   404   404   404",
    ("peer_counselors:accept", "GET", "other"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:accept", "POST", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:join", "GET", "own"):                   "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:join", "POST", "own"):                  "login login 302   302   404   404   302   302   404   404   404   404",
    ("peer_counselors:join", "GET", "other"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:join", "POST", "other"):                "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:propose", "GET", "own"):                "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:propose", "POST", "own"):               "login login 302   302   404   404   302   302   404   404   404   404",
    ("peer_counselors:propose", "GET", "other"):              "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:propose", "POST", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:hand", "GET", "own"):                   "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:hand", "POST", "own"):                  "login login 302   302   404   404   302   302   404   404   404   404",
    ("peer_counselors:hand", "GET", "other"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:hand", "POST", "other"):                "login login 404   404   404   404   404   404   404   404   404   404",
    # The meeting's form: the orange hats who accepted it alone (nobody in the world has yet)
    ("peer_counselors:meeting", "GET", "own"):                "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:meeting", "POST", "own"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:meeting", "GET", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:meeting", "POST", "other"):             "login login 404   404   404   404   404   404   404   404   404   404",
    # The counselors' hand, with a reason; a student, even the one who asked, meets a 404
    ("peer_counselors:flag", "GET", "own"):                   "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:flag", "POST", "own"):                  "login login 404   404   404   404   302   302   404   404   404   404",
    ("peer_counselors:flag", "GET", "other"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:flag", "POST", "other"):                "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:unflag", "GET", "own"):                 "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:unflag", "POST", "own"):                "login login 404   404   404   404   302   302   404   404   404   404",
    ("peer_counselors:unflag", "GET", "other"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:unflag", "POST", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:close", "GET", "own"):                  "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:close", "POST", "own"):                 "login login 404   404   404   404   302   302   404   404   404   404",
    ("peer_counselors:close", "GET", "other"):                "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:close", "POST", "other"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:reassign", "GET", "own"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:reassign", "POST", "own"):              "login login 404   404   404   404   302   302   404   404   404   404",
    ("peer_counselors:reassign", "GET", "other"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:reassign", "POST", "other"):            "login login 404   404   404   404   404   404   404   404   404   404",
    # The roster, the duty periods and slots: the school's counselors ("own": the room's orange hat, slot and period)
    ("peer_counselors:roster", "GET", "own"):                 "login login 404   404   404   404   200   200   404   404   404   404",
    ("peer_counselors:roster", "POST", "own"):                "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:profile_add", "GET", "own"):            "login login 404   404   404   404   200   200   404   404   404   404",
    ("peer_counselors:profile_add", "POST", "own"):           "login login 404   404   404   404   302   302   404   404   404   404",
    ("peer_counselors:profile_edit", "GET", "own"):           "login login 404   404   404   404   200   200   404   404   404   404",
    ("peer_counselors:profile_edit", "POST", "own"):          "login login 404   404   404   404   302   302   404   404   404   404",
    ("peer_counselors:profile_edit", "GET", "other"):         "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:profile_edit", "POST", "other"):        "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:period_edit", "GET", "own"):            "login login 404   404   404   404   200   200   404   404   404   404",
    ("peer_counselors:period_edit", "POST", "own"):           "login login 404   404   404   404   302   302   404   404   404   404",
    ("peer_counselors:period_edit", "GET", "other"):          "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:period_edit", "POST", "other"):         "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:period_delete", "GET", "own"):          "login login 404   404   404   404   200   200   404   404   404   404",
    ("peer_counselors:period_delete", "POST", "own"):         "login login 404   404   404   404   302   302   404   404   404   404",
    ("peer_counselors:period_delete", "GET", "other"):        "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:period_delete", "POST", "other"):       "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:slot_add", "GET", "own"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:slot_add", "POST", "own"):              "login login 404   404   404   404   302   302   404   404   404   404",
    ("peer_counselors:slot_add", "GET", "other"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:slot_add", "POST", "other"):            "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:slot_remove", "GET", "own"):            "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:slot_remove", "POST", "own"):           "login login 404   404   404   404   302   302   404   404   404   404",
    ("peer_counselors:slot_remove", "GET", "other"):          "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:slot_remove", "POST", "other"):         "login login 404   404   404   404   404   404   404   404   404   404",
    # ("mixed": the own orange hat with another one's slot)
    ("peer_counselors:slot_remove", "GET", "mixed"):          "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:slot_remove", "POST", "mixed"):         "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:periods", "GET", "own"):                "login login 404   404   404   404   200   200   404   404   404   404",
    ("peer_counselors:periods", "POST", "own"):               "login login 404   404   404   404   302   302   404   404   404   404",
    # The school day and the safety chain's last contact: the school's counselors and its admin
    ("peer_counselors:desk", "GET", "own"):                   "login login 404   404   404   404   200   200   200   200   404   404",
    ("peer_counselors:desk", "POST", "own"):                  "login login 404   404   404   404   302   302   302   302   404   404",
    # The numbers (counts by week and topic, time to pick up, endings; small groups suppressed): the school's counselors
    # and admin, the district's admin; a student's requests exported or anonymised on request: the school's admin
    ("peer_counselors:numbers", "GET", "own"):                "login login 404   404   404   404   200   200   200   200   200   200",
    ("peer_counselors:numbers", "POST", "own"):               "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:numbers_chart", "GET", "own"):          "login login 404   404   404   404   200   200   200   200   200   200",
    ("peer_counselors:numbers_chart", "POST", "own"):         "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:student_search", "GET", "own"):         "login login 404   404   404   404   404   404   200   200   404   404",
    ("peer_counselors:student_search", "POST", "own"):        "login login 405   405   405   405   405   405   405   405   405   405",
    ("peer_counselors:student_export", "GET", "own"):         "login login 404   404   404   404   404   404   200   200   404   404",
    ("peer_counselors:student_export", "POST", "own"):        "login login 404   404   404   404   404   404   200   200   404   404",
    ("peer_counselors:student_export", "GET", "other"):       "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:student_export", "POST", "other"):      "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:student_anonymise", "GET", "own"):      "login login 404   404   404   404   404   404   200   200   404   404",
    ("peer_counselors:student_anonymise", "POST", "own"):     "login login 404   404   404   404   404   404   302   302   404   404",
    ("peer_counselors:student_anonymise", "GET", "other"):    "login login 404   404   404   404   404   404   404   404   404   404",
    ("peer_counselors:student_anonymise", "POST", "other"):   "login login 404   404   404   404   404   404   404   404   404   404",
    # Giving a classroom an activity (a placeholder until the assignments part is merged)
    #                                                          anon  inact stud  ostud teach oteach instr couns sadm  osadm dadm  odadm
    # Surveys: instruments. The list and one instrument (with its JSON file) for every adult of a school or district; a
    # student never. "own": the instrument the home classroom's school imported; "other": another school's (a 404)
    ("surveys:instruments", "GET", "own"):                    "login login 404   404   200   200   200   200   200   200   200   200",
    ("surveys:instruments", "POST", "own"):                   "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:instrument", "GET", "own"):                     "login login 404   404   200   200   200   200   200   200   200   200",
    ("surveys:instrument", "POST", "own"):                    "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:instrument", "GET", "other"):                   "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:instrument", "POST", "other"):                  "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:instrument_export", "GET", "own"):              "login login 404   404   200   200   200   200   200   200   200   200",
    ("surveys:instrument_export", "POST", "own"):             "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:instrument_export", "GET", "other"):            "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:instrument_export", "POST", "other"):           "login login 405   405   405   405   405   405   405   405   405   405",
    # Importing a file (a pasted one) and deleting an imported instrument no survey used: the school's admin only
    ("surveys:instrument_import", "GET", "own"):              "login login 404   404   404   404   404   404   200   200   404   404",
    ("surveys:instrument_import", "POST", "own"):             "login login 404   404   404   404   404   404   302   302   404   404",
    ("surveys:instrument_delete", "GET", "own"):              "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:instrument_delete", "POST", "own"):             "login login 404   404   404   404   404   404   302   302   404   404",
    ("surveys:instrument_delete", "GET", "other"):            "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:instrument_delete", "POST", "other"):           "login login 404   404   404   404   404   404   404   404   404   404",
    # Surveys: windows. The list of cycles, for the adults who follow surveys (teachers, school and district admins)
    ("surveys:cycles", "GET", "own"):                         "login login 404   404   200   200   404   404   200   200   200   200",
    ("surveys:cycles", "POST", "own"):                        "login login 405   405   405   405   405   405   405   405   405   405",
    # A new cycle and its pre window, for teachers and school admins ("own": the home classroom; "other": another
    # school's classroom in the data, refused as a form error that keeps what was typed)
    ("surveys:cycle_create", "GET", "own"):                   "login login 404   404   200   200   404   404   200   200   404   404",
    ("surveys:cycle_create", "POST", "own"):                  "login login 404   404   302   302   404   404   302   302   404   404",
    ("surveys:cycle_create", "GET", "other"):                 "login login 404   404   200   200   404   404   200   200   404   404",
    ("surveys:cycle_create", "POST", "other"):                "login login 404   404   200   200   404   404   200   200   404   404",
    # A cycle's page with its rates ("own": the home classroom's teacher's anonymous cycle, closed ten days ago):
    # read by its teacher and admins, never by a student (they answer on their own pages)
    ("surveys:cycle", "GET", "own"):                          "login login 404   404   200   200   404   404   200   200   200   200",
    ("surveys:cycle", "POST", "own"):                         "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:cycle", "GET", "other"):                        "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:cycle", "POST", "other"):                       "login login 405   405   405   405   405   405   405   405   405   405",
    # Its post window and a window's dates: the cycle's teacher and the school's admin (a district admin reads only)
    ("surveys:window_create", "GET", "own"):                  "login login 404   404   200   200   404   404   200   200   404   404",
    ("surveys:window_create", "POST", "own"):                 "login login 404   404   302   302   404   404   302   302   404   404",
    ("surveys:window_create", "GET", "other"):                "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:window_create", "POST", "other"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:window_edit", "GET", "own"):                    "login login 404   404   200   200   404   404   200   200   404   404",
    ("surveys:window_edit", "POST", "own"):                   "login login 404   404   302   302   404   404   302   302   404   404",
    ("surveys:window_edit", "GET", "other"):                  "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:window_edit", "POST", "other"):                 "login login 404   404   404   404   404   404   404   404   404   404",
    # Surveys: taking. A student's form of their school's open window (A2's student too: the window is the
    # school's); each has handed it in already, so the page says so and a POST changes nothing (302 back)
    ("surveys:take", "GET", "own"):                           "login login 200   200   404   404   404   404   404   404   404   404",
    ("surveys:take", "POST", "own"):                          "login login 302   302   404   404   404   404   404   404   404   404",
    ("surveys:take", "GET", "other"):                         "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:take", "POST", "other"):                        "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:answer", "GET", "own"):                         "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:answer", "POST", "own"):                        "login login 302   302   404   404   404   404   404   404   404   404",
    ("surveys:answer", "GET", "other"):                       "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:answer", "POST", "other"):                      "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:submit", "GET", "own"):                         "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:submit", "POST", "own"):                        "login login 302   302   404   404   404   404   404   404   404   404",
    ("surveys:submit", "GET", "other"):                       "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:submit", "POST", "other"):                      "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:thanks", "GET", "own"):                         "login login 200   200   404   404   404   404   404   404   404   404",
    ("surveys:thanks", "POST", "own"):                        "login login 405   405   405   405   405   405   405   405   405   405",
    ("surveys:thanks", "GET", "other"):                       "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:thanks", "POST", "other"):                      "login login 405   405   405   405   405   405   405   405   405   405",
    # The teacher's grid of a classroom they teach in its school's window (a POST saves a rating of the pupil)
    ("surveys:teacher_report", "GET", "own"):                 "login login 404   404   200   200   404   404   404   404   404   404",
    ("surveys:teacher_report", "POST", "own"):                "login login 404   404   302   302   404   404   404   404   404   404",
    ("surveys:teacher_report", "GET", "other"):               "login login 404   404   404   404   404   404   404   404   404   404",
    ("surveys:teacher_report", "POST", "other"):              "login login 404   404   404   404   404   404   404   404   404   404",
}
# The curriculum's routes whose "pk" is a lesson (the others' "pk" is a classroom).
LESSON_ROUTES = {
    "curriculum:lesson", "curriculum:lesson_preview", "curriculum:lesson_copy", "curriculum:lesson_edit",
    "curriculum:lesson_delete", "curriculum:activity_create", "curriculum:activity_edit", "curriculum:activity_delete",
    "curriculum:activity_assign",
}


@dataclass
class Target:
    """What one persona asks about: a classroom, its things, a notification and an account."""

    room: object  # the Room whose classroom is in the URL
    things: object  # the Room whose session, family, theme and pupil are in the URL
    notification: object
    account: object  # whose sign-in, password or reset link
    valid: bool  # the calendar token and the reset link are the real ones
    instrument: object = None  # Surveys: instruments. The imported instrument of the room's school


def target_of(world, persona: str, target: str) -> Target:
    """What ``persona`` asks about as "own", "other" or "mixed"."""
    home, away = world.rooms[HOME[persona]], world.rooms[AWAY[persona]]
    me = world.people[persona] or world.people["teacher"]  # the visitor signs in with the teacher's account
    mine = world.notifications[world.label(me)]
    theirs = world.notifications[world.label(away.teacher)]
    if target == "own":
        return Target(home, home, mine, me, valid=True, instrument=_imported_form(world, home))
    if target == "other":
        return Target(away, away, theirs, away.teacher, valid=False, instrument=_imported_form(world, away))
    return Target(home, world.rooms[MIXED[HOME[persona]]], mine, me, valid=True, instrument=_imported_form(world, home))


def _imported_form(world, room):
    """Surveys: instruments. The instrument the room's school imported (tests/access.py's ``imported_forms``)."""
    return world.imported_forms.get(world.label(room.classroom.school))


# curriculum-assignments: the routes whose pk is an assignment's, and those whose pk is a submission's.
CURRICULUM_ASSIGNMENT_ROUTES = {"curriculum:assignment", "curriculum:pairs_redo", "curriculum:pairs_choose", "curriculum:class_spread"}
# Surveys: the outcomes pages, whose pk is a survey cycle's (the home classroom's school's).
SURVEY_OUTCOME_ROUTES = {"surveys:outcomes", "surveys:outcomes_chart", "surveys:outcomes_csv", "surveys:outcomes_students_csv"}
CURRICULUM_SUBMISSION_ROUTES = {
    "curriculum:submission", "curriculum:submission_save", "curriculum:submission_turn_in", "curriculum:submission_reclaim",
    "curriculum:submission_review", "curriculum:submission_excuse", "curriculum:story_share", "curriculum:retelling_rate",
}

# Surveys: instruments. The routes whose pk is an instrument's: the imported one of the room's school.
SURVEY_INSTRUMENT_ROUTES = {"surveys:instrument", "surveys:instrument_export", "surveys:instrument_delete"}


# Surveys: windows. The routes whose pk is the room's teacher's cycle, and the one whose pk is its window.
SURVEY_CYCLE_ROUTES = {"surveys:cycle", "surveys:window_create"}
SURVEY_WINDOW_ROUTES = {"surveys:window_edit"}


# Surveys: taking. The routes of a student's form of a window (window_pk, instrument_pk); the teacher's grid
# has window_pk and classroom_pk.
SURVEY_TAKING_ROUTES = {"surveys:take", "surveys:answer", "surveys:submit", "surveys:thanks", "surveys:teacher_report"}


# Peer counselors: the routes whose pk is a help request: the room's (A1's is the student's; tests/access.py).
HELP_REQUEST_ROUTES = {
    f"peer_counselors:{name}" for name in (
        "request", "message", "withdraw", "accept", "join", "propose", "meeting", "hand", "flag", "unflag", "close",
        "reassign",
    )
}


HELP_PROFILE_ROUTES = {"peer_counselors:profile_edit", "peer_counselors:slot_add", "peer_counselors:slot_remove"}
HELP_PERIOD_ROUTES = {"peer_counselors:period_edit", "peer_counselors:period_delete"}

# The story wall: the routes whose pk is a story (the room's pupil's, or for "mixed" MIXED's: A2's under A1), a
# student's norm-story work, or their own story.
STORY_ROUTES = {f"curriculum:{name}" for name in ("story", "story_open", "story_read_time", "story_decide")}
STORY_WORK_ROUTES = {"curriculum:story_write", "curriculum:story_send"}

# Live class practice: the routes whose pk is the room's live run.
LIVE_RUN_ROUTES = {
    f"curriculum:{name}" for name in (
        "live", "live_projector", "live_poll", "live_advance", "live_close", "live_groups", "live_move",
        "dilemma_vote", "dilemma_restate", "dilemma_rate", "circle_choose", "circle_finish", "circle_rate", "circle_card",
        "circle_pause", "circle_resume", "circle_skip", "circle_minutes", "puzzle_contribution", "puzzle_answer",
    )
}


def path_of(name: str, converters, t: Target) -> str:
    """The URL of route ``name`` about ``t``."""
    values = {
        "pk": t.notification.pk if name == "notifications:read" else t.account.pk if name == "sign_in_lock_clear"
        else t.room.own_lesson.pk if name in LESSON_ROUTES else t.room.classroom.pk,
        "activity_pk": t.things.own_activity.pk,
        "classroom_pk": t.room.classroom.pk,
        "student_pk": t.things.pupil.pk,
        "teacher_pk": t.things.teacher.pk,
        "session_pk": t.things.visit.pk,
        "family_pk": t.things.family.pk,
        "theme_pk": t.things.theme.pk,
        "uidb64": urlsafe_base64_encode(force_bytes(t.account.pk)),
    }
    if name in SURVEY_INSTRUMENT_ROUTES:
        values["pk"] = t.instrument.pk
    elif name in CURRICULUM_ASSIGNMENT_ROUTES:
        values["pk"] = t.room.assignment.pk
    elif name in CURRICULUM_SUBMISSION_ROUTES:
        values["pk"] = t.room.submission_of(t.account).pk
    elif name in SURVEY_CYCLE_ROUTES:
        values["pk"] = t.room.survey_cycle.pk
    elif name in SURVEY_WINDOW_ROUTES:
        values["pk"] = t.room.survey_cycle_window.pk
    elif name in SURVEY_OUTCOME_ROUTES:  # the confidential cycle of the room's school
        values["pk"] = t.room.survey_window.cycle_id
    elif name in HELP_REQUEST_ROUTES:
        values["pk"] = t.room.help_request.pk
    elif name in HELP_PROFILE_ROUTES:
        values["pk"] = t.room.help_profile.pk
        values["slot_pk"] = t.things.help_slot.pk
    elif name in HELP_PERIOD_ROUTES:
        values["pk"] = t.room.help_period.pk
    elif name in STORY_ROUTES:
        values["pk"] = t.things.story.pk
    elif name in STORY_WORK_ROUTES:
        values["pk"] = t.room.story_submission_of(t.account).pk
    elif name == "curriculum:story_consent":  # the persona's own story if they have one, else the room's pupil's
        values["pk"] = next((s.pk for s in Story.objects.filter(author=t.account)), t.room.story.pk) if t.account else t.room.story.pk
    elif name in LIVE_RUN_ROUTES:
        values["pk"] = t.room.live_run.pk
        values["view"] = "student" if getattr(t.account, "role", "") == User.Role.STUDENT else "teacher"
        values["restatement_pk"] = 0  # the world's dilemmas are not at restating yet: no restatement to rate
    if name in SURVEY_TAKING_ROUTES:  # the room's school's window, and its self-report
        values["window_pk"] = t.room.survey_window.pk
        values["instrument_pk"] = t.room.survey_response_of(t.account).instrument_id
    if name == "classrooms:calendar_feed":
        values["token"] = t.room.classroom.calendar_token if t.valid else "no-such-calendar"
    elif "token" in converters:
        values["token"] = default_token_generator.make_token(t.account) if t.valid else "wrong-token"
    return reverse(name, kwargs={key: values[key] for key in converters})


def query_of(name: str, t: Target, world=None) -> dict:
    if name == "classrooms:fidelity":
        return {"school": t.room.classroom.school_id}
    if name == "curriculum:assignment_create":  # the library activity to give, in the query of GET and POST alike
        return {"activity": world.activity.pk}
    if name == "curriculum:activity_assign":
        return {"classroom": t.room.classroom.pk}
    if name == "surveys:outcomes_chart":  # the before-and-after chart of the form every window uses
        return {"kind": "prepost", "instrument": world.survey_form.pk}
    return {}


def post_data(name: str, t: Target) -> dict:
    """Form data each POST view would accept from someone allowed to send it."""
    room, things = t.room, t.things
    local = timezone.localtime(timezone.now(), room.classroom.school.zone)
    new_password = "a-Fresh-horse-91"
    data = {
        "login": {"username": t.account.username, "password": PASSWORD},
        "password_change": {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
        "password_reset": {"email": t.account.email or "nobody@school.example"},
        "password_reset_confirm": {"new_password1": new_password, "new_password2": new_password},
        "classrooms:create": {"name": "Room 99", "grade": 3, "school_year": current_school_year()},
        # Typed in lower case and without the dash, as children do: the page shows codes as K7P-4QX.
        "classrooms:join": {"code": room.classroom.join_code.lower()},
        "classrooms:students_add": {"names": "Nia Okafor"},
        "classrooms:cards": {"students": [things.pupil.pk]},
        "classrooms:student_card": {},
        "classrooms:student_name": {"first_name": "Nia", "last_name": "Okafor"},
        # A colleague of the classroom's school who does not teach it yet (school B has none: a form error).
        "classrooms:teachers": {"teacher": next(iter(teacher_candidates(room.classroom).values_list("pk", flat=True)), "")},
        "classrooms:roster_import": {"file": SimpleUploadedFile(
            "roster.csv", f"username,first_name,last_name,grade,classroom\n{things.pupil.username.lower()},Nia,Okafor,3,Room 99\n".encode(),
            content_type="text/csv",
        )},
        "classrooms:roster_import_confirm": {"token": "t", "digest": "d"},
        "classrooms:calendar_link": {"action": "on"},
        "classrooms:program_year": {
            "repeat": "weekday", "ordinal": 1, "weekday": 1, "at": "10:00", "first_month": f"{local.year}-{local.month:02d}",
            "last_month": f"{local.year + 1}-{local.month:02d}", "skipped_dates": "", "duration_minutes": 45,
            "format": "lessons", "pre_visit_days": 7, "post_visit_days": 7,
        },
        "classrooms:session_reschedule": {"date": (local + timedelta(days=10)).date().isoformat(), "time": "10:00"},
        "classrooms:session_cancel": {"note": "Snow day"},
        "classrooms:session_held": {"note": "Went well", "away": [things.pupil.pk]},
        "classrooms:session_title": {"title": "Feelings"},
        "classrooms:family_create": {
            "name": "The Okafor family", "contact_email": "okafor@home.example", "baby_name": "Ada",
            "baby_born_on": (local - timedelta(days=90)).date().isoformat(),
        },
        "classrooms:family_edit": {
            "name": "The Okafor family", "contact_email": "okafor@home.example", "contact_phone": "(555) 010-0199 ext 2",
            "baby_name": "Ada", "baby_born_on": (local - timedelta(days=90)).date().isoformat(),
        },
        "classrooms:theme_edit": {"title": "Crying", "family": things.family.pk, "instructor": ""},
        "classrooms:observation": {"weight_kg": "6.5", "feelings": ["calm"]},
        "set_language": {"language": "es", "next": "/"},
        # curriculum-assignments
        "curriculum:assignment_create": {"who": "class", "instructions": "Read it together first."},
        # The story wall: approve a story; a student's story, sent again; sharing stopped; a read of 30 seconds
        "curriculum:story_decide": {"action": "approve"},
        "curriculum:story_send": {"answer_form": "1", "text": "When my friend listened to me."},
        "curriculum:story_consent": {"share": ""},
        "curriculum:story_read_time": {"seconds": "30"},
        # Live class practice: the room's run (a dilemma), at the step it is at
        "curriculum:live_start": {"classroom": room.classroom.pk, "activity": room.live_run.activity_id},
        "curriculum:live_advance": {"expected": room.live_run.state},
        "curriculum:live_groups": {"size": "3", "mode": "mixed"},
        "curriculum:live_move": {"student": things.pupil.pk, "group": "1"},
        "curriculum:dilemma_vote": {"option": "0", "reason": "Because Jada would feel left out."},
        "curriculum:dilemma_restate": {"restatement": "You think Jada would feel sad.", "reply": "I agree."},
        "curriculum:dilemma_rate": {"rating": "yes"},
        "curriculum:circle_choose": {"reflector": things.pupil.pk},
        "curriculum:circle_rate": {"heard": "5"},
        "curriculum:circle_card": {"like": "Everyone listened.", "wish": "More time."},
        "curriculum:circle_minutes": {"minutes": "3"},
        "curriculum:puzzle_contribution": {"part": "0", "text": "My part says the bus was late."},
        "curriculum:puzzle_answer": {"text": "The bus was late, so Omar was tired.", "version": "0"},
        "curriculum:submission_save": {"answer_form": "1", "text": "My day as the baby."},
        "curriculum:submission_turn_in": {"answer_form": "1", "text": "My day as the baby."},
        "curriculum:submission_review": {"feedback": "Well noticed.", "action": "return"},
        "curriculum:lesson_create": LESSON_FIELDS,
        "curriculum:lesson_edit": LESSON_FIELDS,
        "curriculum:activity_create": {"kind": "perspective_writing", **ACTIVITY_FIELDS},
        "curriculum:activity_edit": ACTIVITY_FIELDS,
        "curriculum:session_plan": {"lesson": ""},
        # Surveys: instruments. A small valid instrument, pasted (its slug is new in every school)
        "surveys:instrument_import": {"text": DOORS_INSTRUMENT},
        # Surveys: windows (the room's classroom: another school's for "other"; the world's self-report)
        "surveys:cycle_create": {
            "title": "Spring survey", "instruments": [room.survey_cycle_form.pk], "classrooms": [room.classroom.pk],
            "opens_at": f"{local:%Y-%m-%dT%H:%M}", "closes_at": f"{local + timedelta(days=7):%Y-%m-%dT%H:%M}",
            "privacy": "confidential",
        },
        "surveys:window_create": {
            "instruments": [room.survey_cycle_form.pk], "classrooms": [room.classroom.pk],
            "opens_at": f"{local + timedelta(days=1):%Y-%m-%dT%H:%M}", "closes_at": f"{local + timedelta(days=8):%Y-%m-%dT%H:%M}",
        },
        "surveys:window_edit": {"closes_at": f"{local + timedelta(days=3):%Y-%m-%dT%H:%M}"},
        # Surveys: taking
        "surveys:take": {"item-pt1": "3"},
        "surveys:answer": {"item": "pt1", "item-pt1": "3"},
        "surveys:submit": {"item-pt1": "3"},
        "surveys:teacher_report": {f"r-{things.pupil.pk}-helps1": "3", "save": "1"},
        # Peer counselors
        "peer_counselors:ask": {"topic": "conflict", "text": "We argued about the game.", "wanted": "", "meet_period": ""},
        "peer_counselors:message": {"body": "Can we talk at lunch?"},
        "peer_counselors:propose": {"when": f"{local + timedelta(days=1):%Y-%m-%dT%H:%M}", "place": "The library"},
        "peer_counselors:meeting": {"met_on": local.date().isoformat(), "outcome": "resolved"},
        "peer_counselors:flag": {"reason": "Checked with the student"},
        "peer_counselors:unflag": {"reason": "Checked with the student"},
        "peer_counselors:close": {"reason": "Checked with the student"},
        "peer_counselors:profile_add": {"student": things.pupil.pk, "trained_on": "", "notes": "Trained in October"},
        "peer_counselors:profile_edit": {"trained_on": "", "notes": "Trained in October", "active": "on"},
        "peer_counselors:slot_add": {"weekday": 3, "period": room.help_period.pk},
        "peer_counselors:periods": {"name": "Morning recess", "starts": "10:00", "ends": "10:15"},
        "peer_counselors:period_edit": {"name": "Long lunch", "starts": "12:00", "ends": "12:50"},
        "peer_counselors:period_delete": {"slots_seen": room.help_period.slots.count()},
        "peer_counselors:desk": {
            "day_starts": "08:00", "day_ends": "15:30", "last_contact_name": "The principal",
            "last_contact_email": "principal@school.example", "last_contact_phone": "",
        },
        "peer_counselors:student_anonymise": {"confirm": "on", "username": things.pupil.username},
        "peer_counselors:reassign": {
            "to": next(iter(room.help_request.offered_to.values_list("pk", flat=True)), ""), "reason": "Same class",
        },
    }
    return data.get(name, {})


# Surveys: instruments. The smallest instrument file the import accepts.
DOORS_INSTRUMENT = json.dumps({
    "slug": "doors-import", "name": {"en": "Doors import"}, "respondent": "student", "grade_min": 3, "grade_max": 5,
    "scale": [{"value": 1, "label": {"en": "No"}}, {"value": 2, "label": {"en": "Yes"}}],
    "subscales": [{"key": "helping", "name": {"en": "Helping"}, "items": [{"key": "hp1", "text": {"en": "I help."}}]}],
})


# A lesson and an activity as the forms send them (tests/curriculum/test_own_lessons.py tries worse ones).
LESSON_FIELDS = {
    "title": "Whose turn is it?", "program": "caring_community", "band": "3_5", "part": "lesson", "theme": 2,
    "theme_title": "Fair turns", "minutes": 40,
    "objectives": "Students notice who waits.\nStudents name how waiting feels.",
    "materials": "A ball",
    "steps": "Sit in a circle.\nPass the ball.\nStop and ask.\nListen to answers.\nClose together.",
    "discussion": "Who waited?\nHow did it feel?\nWhat could we change?",
    "connections": "", "home_link": "",
}
ACTIVITY_FIELDS = {
    "activity_title": "The long wait", "instructions": "Read. Then write.",
    "prompt": "Tell the game as the child who waited.", "guiding_questions": "What did they see?",
}


def targets_of(name: str, converters) -> tuple[str, ...]:
    """What a route is asked about: "own" only when it names no object; "mixed" too when it names two."""
    names_object = bool(set(converters) - {"uidb64"}) or name in OBJECT_IN_DATA
    if not names_object:
        return ("own",)
    if "pk" in converters and len(converters) > 1:
        return ("own", "other", "mixed")
    return ("own", "other")


class CountingPasswordHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting each password it hashes or checks: which doors cost a real hash in production."""

    calls = 0

    def encode(self, password, salt):
        CountingPasswordHasher.calls += 1
        return super().encode(password, salt)

    def verify(self, password, encoded):
        CountingPasswordHasher.calls += 1
        return super().verify(password, encoded)


def routes() -> dict:
    """Every named route of Heard (the walker of tests/test_csrf.py), once each."""
    return dict(our_url_names())


def outcome(response) -> str:
    """The table's word for a response."""
    if response.status_code == 302:
        location = urlparse(response["Location"])
        if location.path == resolve_url(settings.LOGIN_URL) and "next" in parse_qs(location.query):
            return "login"
    return str(response.status_code)


def world_state():
    """What a request could change: tests/test_csrf.py's snapshot, and classrooms, accounts, enrollments, families."""
    return (
        snapshot(),
        list(Classroom.objects.order_by("pk").values_list("pk", "join_code", "join_code_expires_at", "calendar_token")),
        list(Classroom.teachers.through.objects.order_by("pk").values_list("classroom", "user")),
        list(User.objects.order_by("pk").values_list("pk", "password", "is_active", "school", "role", "first_name", "last_name")),
        list(Enrollment.objects.order_by("pk").values_list("pk", "classroom", "student", "left_at")),
        list(BabyObservation.objects.order_by("pk").values_list("pk", "weight_kg", "milestones", "feelings")),
        list(VisitingFamily.objects.order_by("pk").values_list("pk", "contact_email", "contact_phone", "baby_name", "baby_born_on")),
    )


# Written by any request, refused or not: the session, and django-axes' count of failed sign-ins.
BOOKKEEPING_TABLES = ("django_session", "axes_")


# And the log of a look: opening a help request writes who looked (and an adult counselor's first look), on GET too.
LOOK_LOGS = ('INSERT INTO "peer_counselors_helprequestevent"', 'UPDATE "peer_counselors_helprequest" SET "adult_opened_at"')


def _a_look(sql: str) -> bool:
    return sql.startswith(LOOK_LOGS[0]) and "'viewed'" in sql or sql.startswith(LOOK_LOGS[1])


def writes(queries) -> list[str]:
    """The statements among ``queries`` that changed Heard's data."""
    return [
        q["sql"] for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and not any(f'"{table}' in q["sql"] for table in BOOKKEEPING_TABLES)
        and not _a_look(q["sql"].lstrip())
    ]


def ask(client, method: str, path: str, data: dict):
    """One request, whose writes are rolled back so that every request finds the same world; and what it wrote."""
    # Django keeps the last 9,000 queries only; once the log is full, CaptureQueriesContext's slice of it comes back
    # empty, and a request's writes went unseen. Emptied before each request, the log holds this request's alone.
    connection.queries_log.clear()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        response = client.get(path, data) if method == "GET" else client.post(path, data)
        transaction.set_rollback(True)
    return response, writes(queries.captured_queries)


def sign_in(persona: str, world) -> SimpleCookie:
    """The cookies of a fresh session of ``persona``, put back before each request (a POST may sign out)."""
    client = Client()
    user = world.people[persona]
    if user is not None:
        client.force_login(user)
    return SimpleCookie({key: morsel.value for key, morsel in client.cookies.items()})


def walk(world):
    """Every route x target x persona x method, asked once: the response and the statements it wrote."""
    client = Client()
    cookies = {persona: sign_in(persona, world) for persona in PERSONAS}
    for name, converters in sorted(routes().items()):
        for target in targets_of(name, converters):
            for persona in PERSONAS:
                t = target_of(world, persona, target)
                path = path_of(name, converters, t)
                for method in ("GET", "POST"):
                    client.cookies = SimpleCookie({key: m.value for key, m in cookies[persona].items()})
                    query = query_of(name, t, world)
                    if method == "POST" and name in QUERY_ON_POST and query:
                        path = f"{path}?{urlencode(query)}"
                    data = query if method == "GET" else post_data(name, t)
                    response, wrote = ask(client, method, path, data)
                    yield name, method, target, persona, t, response, wrote


def expected_outcomes(key) -> dict[str, str]:
    """A row of DOORS, by persona."""
    tokens = DOORS[key].split()
    assert len(tokens) == len(PERSONAS), f"{key}: {len(tokens)} outcomes for {len(PERSONAS)} personas"
    return dict(zip(PERSONAS, tokens, strict=True))


def sentinels(world) -> list[tuple[str, str, str]]:
    """(text, scope, label): a text of the object ``label`` of ``scope``, which may show only where that scope reaches."""
    found = [(school.name, "school_scope", label) for label, school in world.schools.items()]
    for label, room in world.rooms.items():
        classroom, family, visit = room.classroom, room.family, room.visit
        found += [
            (classroom.name, "classroom_scope", label),
            (classroom.join_code_display, "classroom_manage_scope", label),
            (classroom.calendar_token, "classroom_manage_scope", label),
            (family.name, "visiting_family_scope", label),
            (family.baby_name, "visiting_family_scope", label),
            (family.contact_email, "visiting_family_contact_scope", label),
            (family.contact_phone, "visiting_family_contact_scope", label),
            (room.theme.title, "theme_scope", label),
            (visit.title, "session_scope", label),
            (visit.observation.milestones, "session_scope", label),
            (visit.observation.feelings_note, "session_scope", label),
            (room.lesson.title, "session_scope", label),
            (visit.note, "session_manage_scope", label),
            (room.lesson.note, "session_manage_scope", label),
            (room.own_lesson.title, "lesson_scope", label),
            (room.own_activity.title, "lesson_scope", label),
        ]
    # Surveys: each school's and each classroom teacher's cycle by its title; each school's own instrument by its name.
    cycles = [room.survey_window.cycle for room in world.rooms.values()] + [room.survey_cycle for room in world.rooms.values()]
    found += [(cycle.title, "cycle_scope", world.label(cycle)) for cycle in {c.pk: c for c in cycles}.values()]
    found += [(instrument.name["en"], "instrument_scope", label) for label, instrument in world.imported_forms.items()]
    for student in [room.pupil for room in world.rooms.values()] + [world.leaver]:
        found += [(text, "student_scope", world.label(student)) for text in (student.username, student.first_name, student.last_name)]
        found += [(text, "roster_candidate_scope", world.label(student)) for text in (student.username, student.first_name, student.last_name)]
    for label, notification in world.notifications.items():
        found += [(notification.title, "notification_scope", label), (notification.body, "notification_scope", label)]
    # Peer counselors: the words of each request and its messages, each school's duty period and help desk, the notes
    # of an orange hat's profile (tests/access.py's ``_peer_counselors``).
    for request in HelpRequest.objects.all():
        found.append((request.text.split(" ")[-1], "help_request_scope", world.label(request)))
        found.append((request.text.split(" ")[-1], "help_request_export_scope", world.label(request)))
    found += [(m.body, "help_message_scope", world.label(m)) for m in HelpMessage.objects.all()]
    found += [(p.name, "duty_period_scope", world.label(p)) for p in DutyPeriod.objects.all()]
    found += [(d.last_contact_name, "help_desk_manage_scope", world.label(d)) for d in HelpDesk.objects.all()]
    found += [(p.notes, "counselor_profile_manage_scope", world.label(p)) for p in CounselorProfile.objects.exclude(notes="")]
    # The story wall: each story's words.
    found += [(story.text, "story_scope", world.label(story)) for story in Story.objects.all()]
    # Live class practice: each run by its title; a member's first name, which their group and the run's leaders see.
    found += [(room.live_run.title, "live_run_scope", label) for label, room in world.rooms.items()]
    found += [
        (m.student.first_name, "live_member_scope", world.label(m))
        for m in LiveMember.objects.select_related("student").filter(student__first_name__startswith="SENTINEL-")
    ]

    return found


def texts_in(page: str, texts: list[str]) -> set[str]:
    """Which of ``texts`` are in ``page``: found from each "SENTINEL-" in it (a page holds few), else searched."""
    found = {text for text in texts if not text.startswith("SENTINEL-") and text in page}
    at = page.find("SENTINEL-")
    while at != -1:
        found.update(text for text in texts if page.startswith(text, at))
        at = page.find("SENTINEL-", at + 1)
    return found


def calendar_texts(room) -> set[str]:
    """What a classroom's feed may say: its name, its sessions' and its theme's titles (never notes or names)."""
    return {room.classroom.name, room.visit.title, room.lesson.title, room.theme.title}


def test_every_route_has_its_rows_and_every_row_its_route():
    """A new URL fails until the table says what each persona meets there; a removed URL's rows fail too."""
    wanted = {
        (name, method, target)
        for name, converters in routes().items()
        for target in targets_of(name, converters)
        for method in ("GET", "POST")
    }
    missing, stale = sorted(wanted - set(DOORS)), sorted(set(DOORS) - wanted)
    assert not (missing or stale), (
        "routes without their rows in DOORS: " + (", ".join(" ".join(key) for key in missing) or "none")
        + "; rows in DOORS for no route (or a target it has not): " + (", ".join(" ".join(key) for key in stale) or "none")
    )
    for key in DOORS:
        expected_outcomes(key)


def test_every_persona_meets_each_door_as_the_table_says_and_sees_nothing_of_others(access_world, monkeypatch, settings):
    """Every route, persona, target and method answers as DOORS says, and no answer shows what the scopes hide."""
    # Every persona asks from one address, several with one e-mail address: the rate limits are tested on their own.
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 10**6
    # The growth chart is drawn by matplotlib; draw each distinct chart once (the view still runs every time).
    drawn, draw = {}, charts.growth_svg

    def draw_once(series):
        if repr(series) not in drawn:
            drawn[repr(series)] = draw(series)
        return drawn[repr(series)]

    monkeypatch.setattr(charts, "growth_svg", draw_once)
    settings.PASSWORD_HASHERS = ["tests.test_doors.CountingPasswordHasher"]
    texts = sentinels(access_world)
    texts_only = [text for text, _scope, _label in texts]
    assert all(texts_only), "an empty sentinel"
    nested = [(a, b) for a in texts_only for b in texts_only if a != b and a in b]
    assert not nested, f"sentinels inside others, which would be found where only the outer one is: {nested}"
    wrong, requests, shown, hashed = [], 0, set(), set()
    before = world_state()
    started = time.perf_counter()
    hashes = CountingPasswordHasher.calls
    for name, method, target, persona, t, response, wrote in walk(access_world):
        requests += 1
        if CountingPasswordHasher.calls != hashes:
            hashed.add((name, method))
            hashes = CountingPasswordHasher.calls
        key = (name, method, target)
        if key not in DOORS:
            wrong.append(f"{name} {method} {target}: not in DOORS")
            continue
        expected, got = expected_outcomes(key)[persona], outcome(response)
        if got != expected:
            wrong.append(f"{name} {method} {target} as {persona}: {got}, the table says {expected}")
        if wrote and (got in REFUSED or method == "GET"):
            wrong.append(f"{name} {method} {target} as {persona}: answered {got} and wrote {wrote}")
        if response.get("Content-Type", "").startswith("text/html"):
            if "Permissions-Policy" not in response:
                wrong.append(f"{name} {method} {target} as {persona}: no Permissions-Policy header")
            if access_world.people[persona] is not None and persona != "inactive" and got not in REFUSED | {"login"}:
                if "no-store" not in response.get("Cache-Control", ""):
                    wrong.append(f"{name} {method} {target} as {persona}: a signed-in page without Cache-Control: no-store")
        page = response.content.decode(errors="replace")
        found = texts_in(page.replace("\r\n ", ""), texts_only)  # unfolding iCalendar's 75-octet lines
        shown |= found
        if name == "classrooms:calendar_feed" and response.status_code == 200:
            leaks = found - calendar_texts(t.room)
        else:
            seen = SCOPES[persona] | CURRICULUM_EXPECTED[persona] | SURVEYS_EXPECTED[persona] | PEER_EXPECTED[persona]
            # A text may show wherever one of its scopes reaches (a pupil's name: their classroom's teacher, and a
            # school's counselor choosing orange hats)
            allowed = {text for text, scope, label in texts if label in seen[scope]}
            leaks = (found & {text for text, scope, label in texts if label not in seen[scope]}) - allowed
        if leaks:
            wrong.append(f"{name} {method} {target} as {persona} shows {sorted(leaks)}")
    elapsed = time.perf_counter() - started
    print(f"{requests} requests in {elapsed:.1f}s")
    # Each kind of text shows on some page that may show it, so its absence from the others means something.
    unseen = {scope for _text, scope, _label in texts} - {scope for text, scope, _label in texts if text in shown}
    assert not unseen, f"no page showed any text of {sorted(unseen)}: the search for them proves nothing"
    assert world_state() == before, "a request left a change behind (its savepoint was not rolled back)"
    # A password hash costs a quarter of a second of a core in production: only the sign-in pool's doors may ask
    # for one (deploy/nginx.conf sends their POSTs there), and each of them does. The walk takes a reset link only
    # as far as its redirect to the set-password step: the test below posts the new password there.
    if hashed != {(name, "POST") for name in SIGNIN_ROUTES - {"password_reset_confirm"}}:
        wrong.append(f"the doors that hashed a password: {sorted(hashed)}; deploy/nginx.conf's sign-in pool: {sorted(SIGNIN_ROUTES)}")
    assert not wrong, f"{len(wrong)} wrong answers:\n" + "\n".join(wrong)


def test_the_reset_links_set_password_step_is_a_door_that_hashes(client, settings):
    """The new password chosen after an e-mailed link is hashed at the link's own route, which the proxy sends to signin."""
    settings.PASSWORD_HASHERS = ["tests.test_doors.CountingPasswordHasher"]
    user = TeacherFactory()
    link = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    })  # fmt: skip
    step = client.get(link)["Location"]
    assert resolve(step).url_name == "password_reset_confirm"
    before = CountingPasswordHasher.calls
    response = client.post(step, {"new_password1": "a-Fresh-horse-91", "new_password2": "a-Fresh-horse-91"})
    assert response.status_code == 302 and CountingPasswordHasher.calls > before
    user.refresh_from_db()
    assert user.check_password("a-Fresh-horse-91")
