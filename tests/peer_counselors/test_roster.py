"""The roster pages of a school's supervising counselors: the roster, adding and editing an orange hat and their
duty slots, the duty periods, and the school's day and last contact (which its admin keeps too). Each action
through HTTP, each refusal beside its field with what was typed kept, another school's ids a 404, and the
same queries for 2 or 20 rows."""

from datetime import date, timedelta

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from peer_counselors import services as help_services
from peer_counselors.models import CounselorProfile, DutyPeriod, DutySlot, HelpDesk, HelpRequest, Topic, Weekday
from peer_counselors.roster import services
from peer_counselors.roster.selectors import duty_slots_of
from tests.factories import (
    CounselorFactory,
    CounselorProfileFactory,
    DistrictAdminFactory,
    DutyPeriodFactory,
    DutySlotFactory,
    HelpRequestFactory,
    SchoolAdminFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.pages import parse, table

pytestmark = pytest.mark.django_db

ROSTER = reverse("peer_counselors:roster")
ADD = reverse("peer_counselors:profile_add")
PERIODS = reverse("peer_counselors:periods")
DESK = reverse("peer_counselors:desk")
# A counselor's signed-in page: the session, the user with their school, the unread count (counted on every page in
# the tests: NOTIFICATIONS_UNREAD_CACHE), and the safety alert (flagged requests no adult has opened:
# peer_counselors.context_processors).
PAGE = 4


def edit_url(profile) -> str:
    return reverse("peer_counselors:profile_edit", args=[profile.pk])


def errors_beside(html: str, field: str) -> str:
    """The error text shown under one field (crispy's invalid-feedback for the field's id)."""
    return " ".join(e.text for e in parse(html).find_all(id=f"error_1_id_{field}"))


@pytest.fixture
def school():
    return SchoolFactory()


@pytest.fixture
def counselor(client, school):
    user = CounselorFactory(school=school)
    client.force_login(user)
    return user


def factory_grade():
    return factory.Iterator([2, 3, 4, 5])


def profile_of(school, **student) -> CounselorProfile:
    return CounselorProfileFactory(student=StudentFactory(school=school, **({"grade": 5} | student)))


# --- The roster ----------------------------------------------------------------------------------------------


def test_the_roster_shows_each_peer_with_grade_training_activity_duty_and_open_requests(client, school, counselor):
    ada = profile_of(school, first_name="Ada", last_name="Byron", grade=5)
    ada.trained_on = date(2026, 9, 14)
    ada.save()
    lunch = DutyPeriodFactory(school=school, name="Lunch recess", starts="12:00", ends="12:40")
    DutySlotFactory(profile=ada, weekday=Weekday.TUESDAY, period=lunch)
    HelpRequestFactory(school=school, assigned_to=ada, status=HelpRequest.Status.ACCEPTED)
    HelpRequestFactory(school=school, partner=ada, assigned_to=profile_of(school), status=HelpRequest.Status.SCHEDULED)
    HelpRequestFactory(school=school, assigned_to=ada, status=HelpRequest.Status.MET)  # done: not open
    resting = profile_of(school, first_name="Bo", last_name="Anders", grade=4)
    resting.active, resting.trained_on = False, None
    resting.save()
    profile_of(SchoolFactory(), first_name="SENTINEL", last_name="Elsewhere")

    page = client.get(ROSTER)

    assert page.status_code == 200
    rows, _foot = table(page.text, caption="Peer counselors")
    by_name = {row["Name"]: row for row in rows}
    assert by_name["Ada Byron"] == {
        "Name": "Ada Byron", "Grade": "Grade 5", "Trained on": "Mon 14 Sep 2026", "Active": "active",
        "On duty": "Tuesday, Lunch recess 12:00–12:40", "Open requests": "2",
    }
    assert by_name["Bo Anders"]["Active"] == "inactive"
    assert by_name["Bo Anders"]["Trained on"] == "—"
    assert by_name["Bo Anders"]["On duty"] == "no duty times yet"
    assert list(by_name).index("Bo Anders") == len(rows) - 1  # active ones first
    assert "SENTINEL" not in page.text


@pytest.mark.parametrize("size", [2, 20])
def test_the_roster_costs_the_same_queries_for_2_or_20_peers(client, school, counselor, size, django_assert_num_queries):
    periods = [DutyPeriodFactory(school=school), DutyPeriodFactory(school=school, starts="10:00", ends="10:20")]
    for _ in range(size):
        profile = profile_of(school)
        for period in periods:
            DutySlotFactory(profile=profile, period=period)
        HelpRequestFactory(school=school, assigned_to=profile, status=HelpRequest.Status.ACCEPTED)
    # The profiles (with their open requests); their slots and periods; whether the school has a period.
    with django_assert_num_queries(PAGE + 3):
        page = client.get(ROSTER)
    assert len(table(page.text, caption="Peer counselors")[0]) == size


# --- Adding an orange hat --------------------------------------------------------------------------------------


def test_the_add_page_offers_the_schools_students_without_a_profile_grouped_by_grade(client, school, counselor):
    StudentFactory(school=school, first_name="Cleo", last_name="Ng", grade=3)
    StudentFactory(school=school, first_name="Dev", last_name="Oh", grade=5)
    profile_of(school, first_name="Already", last_name="Orange")
    StudentFactory(school=school, first_name="Switched", last_name="Off", is_active=False)
    TeacherFactory(school=school, first_name="Tess", last_name="Teacher")
    StudentFactory(first_name="Other", last_name="School")

    page = parse(client.get(ADD).text)

    select = page.find("select", name="student")
    groups = {group.attrs["label"]: [o.text for o in group.find_all("option")] for group in select.find_all("optgroup")}
    assert list(groups) == ["Grade 3", "Grade 5"]
    assert groups["Grade 3"][0].startswith("Cleo Ng · ")
    assert groups["Grade 5"][0].startswith("Dev Oh · ")
    assert sum(len(options) for options in groups.values()) == 2


@pytest.mark.parametrize("size", [2, 20])
def test_the_add_page_costs_the_same_queries_for_2_or_20_students(client, school, counselor, size, django_assert_num_queries):
    StudentFactory.create_batch(size, school=school, grade=factory_grade())
    with django_assert_num_queries(PAGE + 1):  # the students who may be added
        page = client.get(ADD)
    assert len([o for o in parse(page.text).find("select", name="student").find_all("option") if o.attrs.get("value")]) == size


def test_a_search_narrows_the_students_offered(client, school, counselor):
    StudentFactory(school=school, first_name="Cleo", last_name="Ng")
    StudentFactory(school=school, first_name="Dev", last_name="Oh")
    page = client.get(ADD, {"q": "cle"})
    options = [o.text for o in parse(page.text).find("select", name="student").find_all("option") if o.attrs.get("value")]
    assert len(options) == 1 and options[0].startswith("Cleo Ng")
    assert "1 student found for “cle”." in parse(page.text).text


def test_a_counselor_adds_a_student_who_is_offered_requests_from_then_on(client, school, counselor):
    student = StudentFactory(school=school, first_name="Eli", last_name="Park")
    trained = timezone.localdate() - timedelta(days=3)

    response = client.post(ADD, {"student": student.pk, "trained_on": trained.isoformat(), "notes": "Trained with Mx. Lee"})

    profile = CounselorProfile.objects.get(student=student)
    assert response.status_code == 302 and response["Location"] == edit_url(profile) + "#slots"
    assert (profile.school, profile.trained_on, profile.notes, profile.active) == (school, trained, "Trained with Mx. Lee", True)
    asker = StudentFactory(school=school)
    request = help_services.help_request_file(requester=asker, topic=Topic.TEASED, text="They laugh at my shoes.")
    assert list(request.offered_to.all()) == [profile]


@pytest.mark.parametrize("date_typed", ["", "{trained}"])
def test_adding_a_student_of_another_school_is_refused_beside_the_field_keeping_what_was_typed(client, school, counselor, date_typed):
    elsewhere = StudentFactory(first_name="Far", last_name="Away")
    trained = (timezone.localdate() - timedelta(days=3)).isoformat()
    typed = date_typed.format(trained=trained)

    response = client.post(ADD, {"student": elsewhere.pk, "trained_on": typed, "notes": "Keep these words"})

    assert response.status_code == 200
    assert errors_beside(response.text, "student") == "Choose a student of your school."
    assert "Far Away" not in response.text
    assert "Keep these words</textarea>" in response.text
    assert f'value="{typed}"' in response.text if typed else True
    assert not CounselorProfile.objects.exists()


def test_the_service_refuses_another_schools_student_whoever_calls_it(school):
    with pytest.raises(services.ValidationError) as refused:
        services.counselor_profile_create(by=CounselorFactory(school=school), student=StudentFactory())
    assert refused.value.message_dict == {"student": ["Choose a student of your school."]}


def test_adding_someone_who_is_not_a_student_is_refused_by_name(client, school, counselor):
    teacher = TeacherFactory(school=school, first_name="Tess", last_name="Teacher")
    response = client.post(ADD, {"student": teacher.pk, "notes": "typed"})
    assert errors_beside(response.text, "student") == "Tess Teacher is not a student: only students can be orange hats."
    selected = parse(response.text).find("option", selected="")
    assert selected.attrs["value"] == str(teacher.pk)  # what was chosen stays chosen, beside its error
    assert "typed</textarea>" in response.text


def test_adding_a_student_already_on_the_roster_says_so_and_how_to_bring_them_back(client, school, counselor):
    active = profile_of(school, first_name="Ada", last_name="Byron")
    resting = profile_of(school, first_name="Bo", last_name="Anders")
    resting.active = False
    resting.save()
    moved = profile_of(SchoolFactory(), first_name="Cy", last_name="Moved")
    moved.student.school = school
    moved.student.save()

    said = {
        profile.pk: errors_beside(client.post(ADD, {"student": profile.student_id}).text, "student")
        for profile in (active, resting, moved)
    }

    assert said[active.pk] == "Ada Byron is already on the roster."
    assert said[resting.pk] == "Bo Anders is already on the roster, as inactive: edit their profile to make them active again."
    assert said[moved.pk] == (
        "Cy Moved still has an orange-hat profile from the school they were at before, and a student can have only one."
    )
    assert CounselorProfile.objects.count() == 3


def test_a_training_date_in_the_future_or_years_ago_is_refused_and_the_notes_kept(client, school, counselor):
    student = StudentFactory(school=school)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(ADD, {"student": student.pk, "trained_on": future, "notes": "Kept"})
    assert errors_beside(response.text, "trained_on").startswith("The training date is in the future.")
    assert f'value="{future}"' in response.text and "Kept</textarea>" in response.text
    long_ago = client.post(ADD, {"student": student.pk, "trained_on": "2002-09-01"})
    assert errors_beside(long_ago.text, "trained_on") == "That is more than ten years ago. Check the year."
    assert not CounselorProfile.objects.exists()


def test_no_student_chosen_or_a_nonsense_id_is_refused_in_words(client, school, counselor):
    assert errors_beside(client.post(ADD, {"student": ""}).text, "student") == "Choose a student."
    for nonsense in ("abc", "9" * 30, "-4"):
        page = client.post(ADD, {"student": nonsense})
        assert page.status_code == 200
        assert errors_beside(page.text, "student") == "Choose a student from the list.", nonsense


# --- Editing -----------------------------------------------------------------------------------------------------


def test_a_counselor_edits_training_and_notes(client, school, counselor):
    profile = profile_of(school)
    response = client.post(edit_url(profile), {"trained_on": "2026-01-12", "notes": "Works well with Ada", "active": "on"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.trained_on, profile.notes, profile.active) == (date(2026, 1, 12), "Works well with Ada", True)


def test_deactivating_keeps_the_history_stops_new_offers_and_says_what_is_left_open(client, school, counselor):
    profile = profile_of(school, first_name="Ada", last_name="Byron")
    slot = DutySlotFactory(profile=profile)
    HelpRequestFactory(school=school, assigned_to=profile, status=HelpRequest.Status.ACCEPTED)

    response = client.post(edit_url(profile), {"trained_on": "", "notes": profile.notes}, follow=True)

    profile.refresh_from_db()
    assert profile.active is False
    assert DutySlot.objects.filter(pk=slot.pk).exists()
    assert HelpRequest.objects.filter(assigned_to=profile).count() == 1
    assert "Ada Byron is inactive now and gets no new requests. They still have 1 open request" in parse(response.text).text
    other = profile_of(school)
    request = help_services.help_request_file(requester=StudentFactory(school=school), topic=Topic.LEFT_OUT, text="Nobody sits with me.")
    assert list(request.offered_to.all()) == [other]


def test_over_long_notes_are_refused_in_heards_words_and_kept(client, school, counselor):
    profile = profile_of(school)
    notes = "n" * 1001
    response = client.post(edit_url(profile), {"notes": notes, "active": "on"})
    assert response.status_code == 200
    assert errors_beside(response.text, "notes") == "This is too long: keep it to 1000 characters at most (it has 1001)."
    assert f"{notes}</textarea>" in response.text


@pytest.mark.parametrize("size", [2, 20])
def test_the_edit_page_costs_the_same_queries_for_2_or_20_slots_and_periods(client, school, counselor, size, django_assert_num_queries):
    profile = profile_of(school)
    for n in range(size):
        DutySlotFactory(profile=profile, weekday=n % 5, period=DutyPeriodFactory(school=school))
    # The profile (with its open requests); its slots and their periods; the school's periods.
    with django_assert_num_queries(PAGE + 3):
        page = client.get(edit_url(profile))
    assert len(list(parse(page.text).find("section", aria_labelledby="slots").find_all("li"))) == size


# --- Duty slots -----------------------------------------------------------------------------------------------------


def test_duty_slots_are_added_on_school_days_only_and_removed(client, school, counselor):
    profile = profile_of(school, first_name="Ada", last_name="Byron")
    lunch = DutyPeriodFactory(school=school, name="Lunch recess")
    page = parse(client.get(edit_url(profile)).text)
    assert [o.text for o in page.find("select", name="weekday").find_all("option")] == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    ]

    added = client.post(reverse("peer_counselors:slot_add", args=[profile.pk]), {"weekday": "1", "period": lunch.pk}, follow=True)

    slot = DutySlot.objects.get(profile=profile)
    assert (slot.weekday, slot.period) == (Weekday.TUESDAY, lunch)
    assert "Ada Byron is on duty on Tuesday, Lunch recess." in parse(added.text).text
    removed = client.post(reverse("peer_counselors:slot_remove", args=[profile.pk, slot.pk]))
    assert removed.status_code == 302
    assert not DutySlot.objects.exists()


def test_the_same_slot_twice_is_refused_by_the_constraint_and_said_plainly(client, school, counselor):
    profile = profile_of(school, first_name="Ada", last_name="Byron")
    lunch = DutyPeriodFactory(school=school, name="Lunch recess")
    DutySlotFactory(profile=profile, weekday=Weekday.TUESDAY, period=lunch)
    response = client.post(reverse("peer_counselors:slot_add", args=[profile.pk]), {"weekday": "1", "period": lunch.pk})
    assert response.status_code == 200
    assert errors_beside(response.text, "weekday") == "Ada Byron is already on duty on Tuesday at Lunch recess."
    assert DutySlot.objects.count() == 1


def test_a_weekend_day_or_another_schools_period_is_refused(client, school, counselor):
    profile = profile_of(school)
    lunch = DutyPeriodFactory(school=school)
    url = reverse("peer_counselors:slot_add", args=[profile.pk])
    weekend = client.post(url, {"weekday": str(Weekday.SATURDAY.value), "period": lunch.pk})
    assert errors_beside(weekend.text, "weekday") == "Choose a school day, Monday to Friday."
    elsewhere = DutyPeriodFactory(school=SchoolFactory(), name="SENTINEL period")
    other = client.post(url, {"weekday": "0", "period": elsewhere.pk})
    assert errors_beside(other.text, "period") == "Choose one of the school's duty periods."
    assert "SENTINEL" not in other.text
    assert not DutySlot.objects.exists()


def test_a_slot_is_removed_only_through_its_own_profile(client, school, counselor):
    ada, bo = profile_of(school), profile_of(school)
    slot = DutySlotFactory(profile=bo)
    assert client.post(reverse("peer_counselors:slot_remove", args=[ada.pk, slot.pk])).status_code == 404
    assert client.get(reverse("peer_counselors:slot_remove", args=[bo.pk, slot.pk])).status_code == 405
    assert DutySlot.objects.filter(pk=slot.pk).exists()


# --- Duty periods --------------------------------------------------------------------------------------------------


def test_a_counselor_adds_and_edits_a_period(client, school, counselor):
    response = client.post(PERIODS, {"name": "  Lunch   recess ", "starts": "12:00", "ends": "12:40"})
    assert response.status_code == 302
    period = DutyPeriod.objects.get(school=school)
    assert (period.name, f"{period.starts:%H:%M}", f"{period.ends:%H:%M}") == ("Lunch recess", "12:00", "12:40")
    edited = client.post(reverse("peer_counselors:period_edit", args=[period.pk]), {"name": "Long lunch", "starts": "11:50", "ends": "12:45"})
    assert edited.status_code == 302
    period.refresh_from_db()
    assert (period.name, f"{period.starts:%H:%M}") == ("Long lunch", "11:50")
    listed = parse(client.get(PERIODS).text).text
    assert "Long lunch 11:50–12:45 0 duty slots" in listed


def test_a_period_must_end_after_it_starts_and_have_a_name_of_its_own(client, school, counselor):
    DutyPeriodFactory(school=school, name="Lunch recess")
    DutyPeriodFactory(school=SchoolFactory(), name="Morning break")  # another school's names are theirs
    backwards = client.post(PERIODS, {"name": "Morning break", "starts": "10:20", "ends": "10:00"})
    assert errors_beside(backwards.text, "ends") == "The period must end after it starts (it starts at 10:20)."
    assert 'value="Morning break"' in backwards.text and 'value="10:20"' in backwards.text
    twice = client.post(PERIODS, {"name": "lunch RECESS", "starts": "12:00", "ends": "12:40"})
    assert errors_beside(twice.text, "name") == "The school already has a period called “lunch RECESS”. Give this one another name."
    assert DutyPeriod.objects.filter(school=school).count() == 1


def test_renaming_a_period_to_a_name_the_school_uses_is_refused(client, school, counselor):
    DutyPeriodFactory(school=school, name="Lunch recess")
    other = DutyPeriodFactory(school=school, name="Morning break", starts="10:00", ends="10:20")
    response = client.post(reverse("peer_counselors:period_edit", args=[other.pk]), {"name": "Lunch recess", "starts": "10:00", "ends": "10:20"})
    assert response.status_code == 200
    assert "already has a period called" in errors_beside(response.text, "name")
    other.refresh_from_db()
    assert other.name == "Morning break"


def test_deleting_a_period_says_how_many_slots_go_with_it_and_asks_first(client, school, counselor):
    lunch = DutyPeriodFactory(school=school, name="Lunch recess")
    ada, bo = profile_of(school), profile_of(school)
    DutySlotFactory(profile=ada, weekday=0, period=lunch)
    DutySlotFactory(profile=ada, weekday=2, period=lunch)
    DutySlotFactory(profile=bo, weekday=2, period=lunch)
    url = reverse("peer_counselors:period_delete", args=[lunch.pk])

    asked = parse(client.get(url).text).text
    assert "3 duty slots go with it. 2 orange hats will not be on duty in this period any more." in asked
    assert DutyPeriod.objects.filter(pk=lunch.pk).exists()

    deleted = client.post(url, {"slots_seen": "3"}, follow=True)
    assert "Deleted the period Lunch recess and the 3 duty slots that used it." in parse(deleted.text).text
    assert not DutyPeriod.objects.filter(pk=lunch.pk).exists()
    assert not DutySlot.objects.exists()


def test_a_period_whose_slots_changed_since_the_counselor_looked_is_not_deleted(client, school, counselor):
    lunch = DutyPeriodFactory(school=school, name="Lunch recess")
    DutySlotFactory(profile=profile_of(school), period=lunch)
    DutySlotFactory(profile=profile_of(school), period=lunch)
    response = client.post(reverse("peer_counselors:period_delete", args=[lunch.pk]), {"slots_seen": "1"})
    assert response.status_code == 200
    assert "Since you looked, the number of duty slots in Lunch recess changed: 2 slots use it now." in parse(response.text).text
    assert "2 duty slots go with it" in parse(response.text).text
    assert DutySlot.objects.count() == 2 and DutyPeriod.objects.filter(pk=lunch.pk).exists()


def test_an_unused_period_is_deleted_from_the_list(client, school, counselor):
    period = DutyPeriodFactory(school=school)
    form = parse(client.get(PERIODS).text).find("form", action=reverse("peer_counselors:period_delete", args=[period.pk]))
    assert "No duty slot uses it." in form.attrs["data-confirm"]
    assert client.post(form.attrs["action"], {"slots_seen": "0"}).status_code == 302
    assert not DutyPeriod.objects.exists()


@pytest.mark.parametrize("size", [2, 20])
def test_the_periods_page_costs_the_same_queries_for_2_or_20_periods(client, school, counselor, size, django_assert_num_queries):
    for n in range(size):
        DutySlotFactory(profile=profile_of(school), period=DutyPeriodFactory(school=school, name=f"Period {n}"))
    with django_assert_num_queries(PAGE + 1):  # the periods with their slot counts
        page = client.get(PERIODS)
    assert page.text.count("1 duty slot<") == size


# --- The help desk: the school day and the last contact -----------------------------------------------------------


def test_the_desk_explains_the_last_contact_and_warns_when_nobody_is_set(client, school, counselor, settings):
    settings.HELP_LAST_CONTACT_EMAIL = ""
    page = parse(client.get(DESK).text)
    text = page.text
    assert "Reached when no counselor or admin has opened a flagged request — always reached." in text
    assert "for example the principal or the district's safety officer" in text
    assert "nobody else is reached" in text
    assert page.find("input", name="day_starts").attrs["value"] == "08:00"
    assert page.find("input", name="day_ends").attrs["value"] == "15:30"
    assert not HelpDesk.objects.exists()  # made on the first save, not by a look

    settings.HELP_LAST_CONTACT_EMAIL = "safety@district.example"
    assert "Until it has one, Heard reaches safety@district.example" in parse(client.get(DESK).text).text


def test_a_counselor_saves_the_day_and_last_contact_and_a_second_save_updates_the_same_row(client, school, counselor, settings):
    settings.HELP_LAST_CONTACT_EMAIL = "safety@district.example"
    data = {"day_starts": "07:45", "day_ends": "15:00", "last_contact_name": "Ms. Rivera, principal",
            "last_contact_email": "rivera@school.example", "last_contact_phone": "(555) 010-0199"}
    assert client.post(DESK, data).status_code == 302
    assert client.post(DESK, data | {"day_ends": "15:15"}).status_code == 302
    desk = HelpDesk.objects.get()
    assert (desk.school, f"{desk.day_starts:%H:%M}", f"{desk.day_ends:%H:%M}") == (school, "07:45", "15:15")
    assert (desk.last_contact_name, desk.last_contact_email) == ("Ms. Rivera, principal", "rivera@school.example")
    page = parse(client.get(DESK).text).text
    assert "Until it has one" not in page
    assert "Ms. Rivera, principal · rivera@school.example · (555) 010-0199" in page


def test_the_schools_admin_keeps_the_desk_too_but_not_the_roster(client, school):
    admin = SchoolAdminFactory(school=school)
    client.force_login(admin)
    data = {"day_starts": "08:00", "day_ends": "15:30", "last_contact_email": "office@school.example"}
    assert client.post(DESK, data).status_code == 302
    assert HelpDesk.objects.get(school=school).last_contact_email == "office@school.example"
    tabs = [a.text for a in parse(client.get(DESK).text).find("nav", aria_label="Orange hats").find_all("a")]
    assert tabs == ["Numbers", "School day and last contact", "A student's requests"]
    assert client.get(ROSTER).status_code == 404


def test_desk_refusals_are_beside_their_fields_and_keep_what_was_typed(client, school, counselor):
    response = client.post(DESK, {"day_starts": "15:00", "day_ends": "08:00", "last_contact_name": "Dr. Osei",
                                  "last_contact_email": "", "last_contact_phone": "12"})
    assert response.status_code == 200
    assert errors_beside(response.text, "day_ends") == "The school day must end after it starts (it starts at 15:00)."
    assert errors_beside(response.text, "last_contact_email") == (
        "Give the last contact's e-mail address: that is how Heard reaches them."
    )
    assert errors_beside(response.text, "last_contact_phone").startswith("Give a phone number of 7 to 15 digits")
    assert 'value="Dr. Osei"' in response.text and 'value="15:00"' in response.text
    assert not HelpDesk.objects.exists()


# --- Who may open what ---------------------------------------------------------------------------------------------


def _other_schools_things():
    elsewhere = SchoolFactory()
    profile = profile_of(elsewhere)
    period = DutyPeriodFactory(school=elsewhere)
    return profile, period, DutySlotFactory(profile=profile, period=period)


def test_another_schools_profile_period_and_slot_are_404(client, school, counselor):
    profile, period, slot = _other_schools_things()
    own_period = DutyPeriodFactory(school=school)
    assert client.get(edit_url(profile)).status_code == 404
    assert client.post(edit_url(profile), {"notes": "x", "active": "on"}).status_code == 404
    assert client.post(reverse("peer_counselors:slot_add", args=[profile.pk]), {"weekday": 0, "period": own_period.pk}).status_code == 404
    assert client.post(reverse("peer_counselors:slot_remove", args=[profile.pk, slot.pk])).status_code == 404
    assert client.post(reverse("peer_counselors:slot_remove", args=[profile_of(school).pk, slot.pk])).status_code == 404
    for name in ("period_edit", "period_delete"):
        assert client.get(reverse(f"peer_counselors:{name}", args=[period.pk])).status_code == 404
    assert client.post(reverse("peer_counselors:period_delete", args=[period.pk]), {"slots_seen": "1"}).status_code == 404
    assert DutySlot.objects.filter(pk=slot.pk).exists() and DutyPeriod.objects.filter(pk=period.pk).exists()
    profile.refresh_from_db()
    assert profile.notes == ""


@pytest.mark.parametrize("persona", ["student", "peer", "teacher", "school_admin", "district_admin"])
def test_the_roster_pages_are_404_to_everyone_but_the_schools_counselors(client, school, persona):
    profile, period = profile_of(school), DutyPeriodFactory(school=school)
    slot = DutySlotFactory(profile=profile, period=period)
    user = {
        "student": lambda: StudentFactory(school=school),
        "peer": lambda: profile.student,
        "teacher": lambda: TeacherFactory(school=school),
        "school_admin": lambda: SchoolAdminFactory(school=school),
        "district_admin": lambda: DistrictAdminFactory(district=school.district),
    }[persona]()
    client.force_login(user)
    gets = [ROSTER, ADD, edit_url(profile), PERIODS, reverse("peer_counselors:period_edit", args=[period.pk]),
            reverse("peer_counselors:period_delete", args=[period.pk])]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = {
        ADD: {"student": StudentFactory(school=school).pk},
        edit_url(profile): {"notes": "x"},
        reverse("peer_counselors:slot_add", args=[profile.pk]): {"weekday": 3, "period": period.pk},
        reverse("peer_counselors:slot_remove", args=[profile.pk, slot.pk]): {},
        PERIODS: {"name": "New", "starts": "09:00", "ends": "09:10"},
        reverse("peer_counselors:period_edit", args=[period.pk]): {"name": "Renamed", "starts": "09:00", "ends": "09:10"},
        reverse("peer_counselors:period_delete", args=[period.pk]): {"slots_seen": 1},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert CounselorProfile.objects.count() == 1 and DutySlot.objects.count() == 1
    assert list(DutyPeriod.objects.values_list("name", flat=True)) == [period.name]
    desk = client.get(DESK).status_code
    assert desk == (200 if persona == "school_admin" else 404)


def test_the_pages_send_the_signed_out_to_sign_in(client):
    for url in (ROSTER, ADD, PERIODS, DESK):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


# --- A peer counselor's own duty times -------------------------------------------------------------------------------


def test_a_peer_counselor_reads_their_own_duty_times_in_week_order(school):
    ada = profile_of(school)
    lunch = DutyPeriodFactory(school=school, name="Lunch recess", starts="12:00", ends="12:40")
    morning = DutyPeriodFactory(school=school, name="Morning break", starts="10:00", ends="10:20")
    friday = DutySlotFactory(profile=ada, weekday=Weekday.FRIDAY, period=morning)
    tuesday_lunch = DutySlotFactory(profile=ada, weekday=Weekday.TUESDAY, period=lunch)
    tuesday_morning = DutySlotFactory(profile=ada, weekday=Weekday.TUESDAY, period=morning)
    DutySlotFactory(profile=profile_of(school), weekday=Weekday.MONDAY, period=lunch)  # someone else's

    assert duty_slots_of(ada.student) == [tuesday_morning, tuesday_lunch, friday]


def test_duty_times_are_nobodys_once_inactive_moved_or_not_a_peer(school):
    ada = profile_of(school)
    DutySlotFactory(profile=ada, period=DutyPeriodFactory(school=school))
    ada.active = False
    ada.save()
    assert duty_slots_of(ada.student) == []
    bo = profile_of(school)
    DutySlotFactory(profile=bo, period=DutyPeriodFactory(school=school))
    bo.student.school = SchoolFactory()
    bo.student.save()
    assert duty_slots_of(User.objects.get(pk=bo.student_id)) == []
    assert duty_slots_of(CounselorFactory(school=school)) == []
    assert duty_slots_of(StudentFactory(school=school)) == []
