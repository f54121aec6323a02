"""A listening circle's turns through its pages: choosing who sums up, the server's clock, ratings, the teacher's
pause, resume and skip, the speaker's minutes and the closing cards; and what is refused, with a message."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from curriculum.circles import services
from curriculum.live import services as live
from curriculum.models import CircleCard, CircleTurn, LiveMember
from tests.curriculum.circles.conftest import circle_running
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def post(client, user, name, run, data=None, follow=True):
    client.force_login(user)
    return client.post(reverse(f"curriculum:{name}", args=[run.pk]), data or {}, follow=follow)


def page(client, user, run) -> str:
    client.force_login(user)
    response = client.get(run.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def order(run):
    """The group's students in the rotation's order."""
    return [m.student for m in LiveMember.objects.filter(run=run).order_by("pk").select_related("student")]


def test_the_first_speaker_chooses_who_sums_up_and_each_student_is_told_their_role(client, circle_of_three):
    run, teacher, _ = circle_of_three
    first, second, third = order(run)
    assert "Who will sum up what you say?" in page(client, first, run)
    assert f"{first.first_name} talks next." in page(client, second, run)
    with time_machine.travel(timezone.now(), tick=False):
        post(client, first, "circle_choose", run, {"reflector": third.pk})
        turn = CircleTurn.objects.get()
        assert (turn.number, turn.speaker, turn.reflector, turn.seconds) == (1, first, third, 240)
        assert turn.ends_at == turn.started_at + timedelta(minutes=4)
        speaker_page = page(client, first, run)
    assert "You talk. Your group listens." in speaker_page and 'data-seconds="240"' in speaker_page
    assert "I’m done talking" in speaker_page
    assert f"Listen closely to {first.first_name}." in page(client, third, run)
    assert f"Listen quietly to {first.first_name}." in page(client, second, run)
    projector = client.get(reverse("curriculum:live_projector", args=[run.pk]))
    assert projector.status_code == 404  # a student is no leader
    client.force_login(teacher)
    wall = client.get(reverse("curriculum:live_projector", args=[run.pk])).content.decode()
    assert "A good summing up" in wall and "No advice" in wall and first.first_name in wall


def test_a_reloaded_page_shows_the_time_the_server_counts_and_time_up_needs_no_task(client, circle_of_three):
    run, _teacher, _ = circle_of_three
    first, second, _third = order(run)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.circle_reflector_choose(run, by=first, reflector_id=second.pk)
    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        text = page(client, first, run)
        assert 'data-seconds="150"' in text and ">2:30<" in text
        assert f'data-server-now="{int((start + timedelta(seconds=90)).timestamp() * 1000)}"' in text
        assert f'data-ends-at="{int((start + timedelta(minutes=4)).timestamp() * 1000)}"' in text
    with time_machine.travel(start + timedelta(minutes=4, seconds=1), tick=False):
        text = page(client, first, run)
        assert "Time is up. Now listen." in text and "How heard did you feel?" in text and "Fully heard" in text
        assert f"Your turn: tell {first.first_name} what you heard." in page(client, second, run)


def test_the_speaker_rates_once_after_their_time_and_nobody_else_can(client, circle_of_three):
    run, _teacher, _ = circle_of_three
    first, second, third = order(run)
    turn = services.circle_reflector_choose(run, by=first, reflector_id=second.pk)
    early = post(client, first, "circle_rate", run, {"turn": turn.pk, "heard": "5"})
    assert "Your time is not up yet." in early.content.decode()
    post(client, first, "circle_finish", run)
    for outsider in (second, third):
        assert post(client, outsider, "circle_rate", run, {"turn": turn.pk, "heard": "5"}).status_code == 404
    assert (
        "Choose a number from 1 to 5."
        in post(client, first, "circle_rate", run, {"turn": turn.pk, "heard": "9"}).content.decode()
    )
    done = post(client, first, "circle_rate", run, {"turn": turn.pk, "heard": "4"})
    assert "Thank you for telling your group!" in done.content.decode()
    again = post(client, first, "circle_rate", run, {"turn": turn.pk, "heard": "1"})
    assert "You already told us how heard you felt." in again.content.decode()
    turn.refresh_from_db()
    assert turn.heard == 4 and turn.rated_at is not None
    assert post(client, first, "circle_rate", run, {"turn": "99999999", "heard": "3"}).status_code == 404
    assert post(client, first, "circle_rate", run, {"turn": "<b>", "heard": "x"}).status_code == 404


def test_choosing_oneself_someone_outside_the_group_or_out_of_turn_is_refused_with_a_message(client, circle_room):
    classroom, teacher, students, activity = circle_room
    run = circle_running(classroom, teacher, students[:6], activity, size=3)  # two groups of three
    first = LiveMember.objects.filter(run=run, group__number=1).order_by("pk").first().student
    other_group = LiveMember.objects.filter(run=run, group__number=2).first().student
    second = LiveMember.objects.filter(run=run, group__number=1).order_by("pk")[1].student
    assert (
        "you are the one talking" in post(client, first, "circle_choose", run, {"reflector": first.pk}).content.decode()
    )
    assert (
        "Choose someone from your group."
        in post(client, first, "circle_choose", run, {"reflector": other_group.pk}).content.decode()
    )
    assert (
        "Choose someone from your group."
        in post(client, first, "circle_choose", run, {"reflector": "abc"}).content.decode()
    )
    assert (
        "It is not your turn to choose yet."
        in post(client, second, "circle_choose", run, {"reflector": first.pk}).content.decode()
    )
    assert not CircleTurn.objects.exists()
    services.circle_reflector_choose(run, by=first, reflector_id=second.pk)
    services.circle_turn_finish(run, by=first)
    assert (
        "It is not your turn to choose yet."
        in post(client, second, "circle_choose", run, {"reflector": first.pk}).content.decode()
    )
    services.circle_rate(run, by=first, turn_id=CircleTurn.objects.get().pk, heard=5)
    # the first speaker has not summed up yet, but the third has not even spoken: the third it must be
    refused = post(client, second, "circle_choose", run, {"reflector": first.pk}).content.decode()
    assert "Choose someone who has not had a turn to sum up yet." in refused


def test_the_teacher_pauses_and_resumes_a_group_and_the_clock_keeps_what_was_left(client, circle_room):
    classroom, teacher, students, activity = circle_room
    run = circle_running(classroom, teacher, students[:6], activity, size=3)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.circle_skip(run, by=teacher)  # every group begins, with the suggested reflectors
    assert CircleTurn.objects.count() == 2
    with time_machine.travel(start + timedelta(seconds=100), tick=False):
        post(client, teacher, "circle_pause", run, {"group": "1"})
    one, two = CircleTurn.objects.order_by("group__number")
    assert (one.remaining, one.paused_at is not None, two.paused_at) == (140, True, None)
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        assert 'data-seconds="140"' in page(client, one.speaker, run)  # frozen, not run out
        assert "Your teacher paused the clock" in page(client, one.speaker, run)
        post(client, teacher, "circle_resume", run, {"group": "all"})
    one.refresh_from_db()
    assert one.paused_at is None and one.ends_at == start + timedelta(minutes=30, seconds=140)
    assert (
        "That group is not part of this circle."
        in post(client, teacher, "circle_pause", run, {"group": "7"}).content.decode()
    )


def test_a_skip_leaves_the_turn_unrated_and_starts_the_next_with_the_suggested_reflector(client, circle_of_three):
    run, teacher, _ = circle_of_three
    first, second, third = order(run)
    post(client, teacher, "circle_skip", run, {"group": "1"})
    turn = CircleTurn.objects.get()
    assert (turn.speaker, turn.reflector) == (first, second)
    post(client, teacher, "circle_skip", run, {"group": "1"})
    turn.refresh_from_db()
    assert turn.skipped_at is not None and turn.heard is None
    latest = CircleTurn.objects.order_by("-number").first()
    assert (latest.number, latest.speaker, latest.reflector) == (2, second, third)
    late = post(client, first, "circle_rate", run, {"turn": turn.pk, "heard": "5"})
    assert "Your teacher moved your group on" in late.content.decode()


def test_the_teacher_sets_the_speakers_minutes_for_the_turns_that_begin_after(client, circle_of_three):
    run, teacher, _ = circle_of_three
    response = post(client, teacher, "circle_minutes", run, {"minutes": "2"})
    assert "Saved: turns that begin from now on last 2 minutes." in response.content.decode()
    for bad in ("0", "11", "two", ""):
        assert (
            "A speaker talks for 1 to 10 minutes."
            in post(client, teacher, "circle_minutes", run, {"minutes": bad}).content.decode()
        )
    services.circle_skip(run, by=teacher)
    assert CircleTurn.objects.get().seconds == 120
    run.refresh_from_db()
    assert run.content["speaker_minutes"] == 2 and run.content["topic"]["en"] == "Tell about a time you were new."


def test_one_full_rotation_stores_each_students_turns_and_ratings(client, circle_of_three):
    run, teacher, _ = circle_of_three
    members = order(run)
    for k in range(3):
        upcoming = CircleTurn.objects.order_by("-number").first()
        speaker = members[0] if upcoming is None else upcoming.reflector
        text = page(client, speaker, run)  # the suggested reflector is the highlighted first button
        assert "Who will sum up what you say?" in text
        reflector = next(m for m in members if f'name="reflector" value="{m.pk}" class="btn btn-primary"' in text)
        post(client, speaker, "circle_choose", run, {"reflector": reflector.pk})
        post(client, speaker, "circle_finish", run)
        turn = CircleTurn.objects.order_by("-number").first()
        post(client, speaker, "circle_rate", run, {"turn": turn.pk, "heard": str(3 + k % 3)})
    turns = list(CircleTurn.objects.order_by("number"))
    assert sorted(t.speaker_id for t in turns) == sorted(m.pk for m in members)
    assert sorted(t.reflector_id for t in turns) == sorted(m.pk for m in members)
    assert [t.heard for t in turns] == [3, 4, 5]
    teacher_page = page(client, teacher, run)
    assert teacher_page.count("talked 1 · summed up 1") == 3
    assert "felt heard 5 of 5" in teacher_page


def test_a_closing_card_too_long_or_empty_is_refused_with_what_was_typed_kept_and_html_shown_as_text(
    client, circle_of_three
):
    run, teacher, _ = circle_of_three
    first, _second, _third = order(run)
    early = post(client, first, "circle_card", run, {"like": "Listening", "wish": "More time"})
    assert "The closing cards are not open right now." in early.content.decode()
    run = live.live_advance(run, by=teacher, expected="running")
    assert "One last thing: your card" in page(client, first, run)
    long_wish = "a" * 201
    response = post(
        client, first, "circle_card", run, {"like": "<b>everyone</b> listened", "wish": long_wish}, follow=False
    )
    text = response.content.decode()
    assert response.status_code == 200 and "That is a bit long" in text and "(now 201)" in text
    assert "&lt;b&gt;everyone&lt;/b&gt; listened" in text and long_wish in text
    text = post(
        client, first, "circle_card", run, {"like": "   ", "wish": "Shorter turns"}, follow=False
    ).content.decode()
    assert "Write a few words here." in text and "Shorter turns" in text
    assert not CircleCard.objects.exists()
    saved = post(
        client, first, "circle_card", run, {"like": "<script>alert(1)</script> the quiet", "wish": "Shorter turns"}
    )
    assert "Your card is saved. Thank you!" in saved.content.decode()
    post(client, first, "circle_card", run, {"like": "<script>alert(1)</script> the quiet", "wish": "A second go"})
    card = CircleCard.objects.get()
    assert (card.like, card.wish) == ("<script>alert(1)</script> the quiet", "A second go")
    teacher_text = page(client, teacher, run)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; the quiet" in teacher_text and "<script>alert(1)" not in teacher_text
    assert "1 closing card" in teacher_text


def test_another_schools_people_get_404s_and_a_classmate_sees_only_their_own_group(client, circle_room):
    classroom, teacher, students, activity = circle_room
    run = circle_running(classroom, teacher, students[:6], activity, size=3)
    services.circle_skip(run, by=teacher)
    turn_of_group_two = CircleTurn.objects.get(group__number=2)
    stranger = StudentFactory()
    ClassroomFactory(school=stranger.school).enrollments.create(student=stranger)
    elsewhere = TeacherFactory()
    for name in ("circle_choose", "circle_finish", "circle_rate", "circle_card"):
        assert post(client, stranger, name, run, {"turn": turn_of_group_two.pk, "heard": "5"}).status_code == 404
    for name in ("circle_pause", "circle_resume", "circle_skip", "circle_minutes"):
        assert post(client, elsewhere, name, run, {"group": "all", "minutes": "3"}).status_code == 404
        assert post(client, students[0], name, run, {"group": "all", "minutes": "3"}).status_code == 404
    group_one = LiveMember.objects.filter(run=run, group__number=1).first().student
    assert post(client, group_one, "circle_rate", run, {"turn": turn_of_group_two.pk, "heard": "5"}).status_code == 404
    text = page(client, group_one, run)
    assert turn_of_group_two.speaker.get_full_name() not in text and "circle-board-" not in text
    client.force_login(teacher)
    assert client.get(reverse("curriculum:circle_skip", args=[run.pk])).status_code == 405


def test_the_teachers_poll_costs_the_same_queries_for_two_groups_as_for_six(client, circle_room):
    classroom, teacher, students, activity = circle_room
    more = StudentFactory.create_batch(11, school=classroom.school)
    for student in more:
        classroom.enrollments.create(student=student)
    counts = []
    for size_of_class in (6, 18):
        run = circle_running(classroom, teacher, (students + more)[:size_of_class], activity, size=3)
        services.circle_skip(run, by=teacher)
        client.force_login(teacher)
        url = reverse("curriculum:live_poll", args=[run.pk, "teacher"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
        live.live_close(run, by=teacher)
    assert counts[0] == counts[1]


def test_a_full_poll_reads_the_run_and_the_members_once_for_a_circle_of_four_as_of_twelve(client, circle_room):
    """Session, user, the run (the ETag's query through the viewer's scope, kept for the view), the run's members
    (narrowed to those the viewer may see, for the groups, their own member, the joined count and the boards) and
    its turns: five for the first poll of a version, at any size; the next viewer's full poll of the same version
    takes the members and turns kept under it (curriculum.live.selectors.run_rows): three; and a poll whose ETag
    still holds is a 304 in three (session, user, the run), at any size."""
    classroom, teacher, students, activity = circle_room
    more = StudentFactory.create_batch(5, school=classroom.school)
    for student in more:
        classroom.enrollments.create(student=student)
    counts = {}
    for size_of_circle in (4, 12):
        run = circle_running(classroom, teacher, (students + more)[:size_of_circle], activity, size=4)
        services.circle_skip(run, by=teacher)
        kid = LiveMember.objects.filter(run=run, group__number=1).order_by("pk").first().student
        for who, view in ((kid, "student"), (teacher, "teacher")):
            client.force_login(who)
            url = reverse("curriculum:live_poll", args=[run.pk, view])
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200 and "live-region" in response.content.decode()
            counts[who.pk, size_of_circle] = len(queries)
            with CaptureQueriesContext(connection) as queries:
                unchanged = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
            assert unchanged.status_code == 304 and unchanged.content == b""
            counts[who.pk, size_of_circle, 304] = len(queries)
        live.live_close(run, by=teacher)
    assert {n for (who, _size), n in ((k, n) for k, n in counts.items() if len(k) == 2) if who != teacher.pk} == {5}
    assert {n for (who, _size), n in ((k, n) for k, n in counts.items() if len(k) == 2) if who == teacher.pk} == {3}
    assert {n for key, n in counts.items() if len(key) == 3} == {3}, counts


def poll(client, user, run, view="student", *, signed_in=False):
    if not signed_in:
        client.force_login(user)
    response = client.get(reverse("curriculum:live_poll", args=[run.pk, view]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_the_rows_kept_for_a_version_are_narrowed_to_each_viewer_and_a_change_shows_at_the_next_poll(
    client, circle_room
):
    """The run's members and turns are kept under its version for every viewer's poll (run_rows): a student of
    group 2 polling after group 1 filled the cache sees only their own group; the teacher moving group 1 on
    (a new version) is in group 1's very next poll, not the kept rows of the version before."""
    classroom, teacher, students, activity = circle_room
    run = circle_running(classroom, teacher, students[:6], activity, size=3)
    services.circle_skip(run, by=teacher)
    members = LiveMember.objects.filter(run=run).select_related("student", "group")
    one = [m.student for m in members if m.group.number == 1]
    two = [m.student for m in members if m.group.number == 2]
    speaker = CircleTurn.objects.get(group__number=1).speaker
    listener = next(s for s in one if s != speaker and s != CircleTurn.objects.get(group__number=1).reflector)
    assert f"Listen quietly to {speaker.first_name}." in poll(client, listener, run)
    client.force_login(two[0])
    with CaptureQueriesContext(connection) as queries:
        seen_by_two = poll(client, two[0], run, signed_in=True)
    assert len(queries) == 3  # the rows came from the cache ...
    for student in one:  # ... and were narrowed to group 2's
        assert student.get_full_name() not in seen_by_two and student.first_name not in seen_by_two
    assert any(s.first_name in seen_by_two for s in two if s != two[0])
    post(client, teacher, "circle_skip", run, {"group": "1"})
    after = CircleTurn.objects.filter(group__number=1).order_by("-number").first()
    text = poll(client, listener, run)
    assert after.speaker != speaker
    if after.speaker == listener:
        assert "You talk. Your group listens." in text
    else:
        assert f"{after.speaker.first_name}" in text and f"Listen quietly to {speaker.first_name}." not in text


def test_a_full_poll_still_answers_when_the_cache_fails(client, circle_of_three, monkeypatch):
    run, _teacher, _three = circle_of_three

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    first, second, _third = order(run)
    assert f"{first.first_name} talks next." in poll(client, second, run)


def test_a_service_refuses_a_pause_when_the_circle_is_not_going(circle_of_three):
    run, teacher, _ = circle_of_three
    live.live_close(run, by=teacher)
    with pytest.raises(ValidationError, match="not going"):
        services.circle_pause(run, by=teacher)
