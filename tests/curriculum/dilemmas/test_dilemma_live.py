"""A live dilemma from end to end through its pages: vote, the anonymous split, groups from the first votes,
saying back a classmate's reason and its rating, the re-vote and how opinions moved; and the bad input."""

import re

import pytest
from django.urls import reverse

from curriculum.dilemmas import services
from curriculum.live import services as live_services
from curriculum.models import DILEMMA_TEXT_MAX, DilemmaVote, LiveRun, Restatement
from tests.factories import ActivityFactory, ClassroomFactory, StudentFactory

pytestmark = pytest.mark.django_db

DILEMMA = {
    "situation": {"en": "A new child sits alone at lunch.", "es": "Un niño nuevo come solo."},
    "options": [{"en": "Sit with them"}, {"en": "Wait and see"}, {"en": "Tell a teacher"}],
    "reason_prompt": {"en": "Why would you do that?"},
}


@pytest.fixture
def room():
    classroom = ClassroomFactory(grade=4)
    students = StudentFactory.create_batch(6, school=classroom.school)
    for student in students:
        classroom.enrollments.create(student=student)
    activity = ActivityFactory(kind="dilemma", content=DILEMMA)
    teacher = classroom.teachers.get()
    run = live_services.live_start(classroom=classroom, activity=activity, by=teacher)
    return run, teacher, students


def to(run, teacher, state):
    """Move the run on, step by step, to ``state`` (forming mixed groups of 3 on the way)."""
    run = LiveRun.objects.get(pk=run.pk)
    while run.state != state:
        if run.state == "grouped" and not run.groups.exists():
            answers, order = services.selectors.first_answers(run)
            live_services.live_groups_form(run, by=teacher, size=3, mode="mixed", answers=answers, order=order)
        run = live_services.live_advance(run, by=teacher, expected=run.state)
    return run


def vote(client, run, student, option, reason="Because it is kind."):
    client.force_login(student)
    return client.post(reverse("curriculum:dilemma_vote", args=[run.pk]), {"option": option, "reason": reason})


def text(response) -> str:
    return response.content.decode()


def test_each_vote_shows_on_the_projector_as_counts_without_names(client, room):
    run, teacher, students = room
    run = to(run, teacher, "voting")
    for student, option in zip(students[:4], (0, 0, 2, 1), strict=True):
        assert vote(client, run, student, option)["Location"] == run.get_absolute_url()
    client.force_login(teacher)
    wall = text(client.get(reverse("curriculum:live_projector", args=[run.pk])))
    assert "First vote: 4 votes" in wall
    assert re.search(r"Sit with them</span></span>.*?2 votes \(50%\)", wall, re.S)
    assert re.search(r"Wait and see</span></span>.*?1 vote \(25%\)", wall, re.S)
    assert "Because it is kind." not in wall
    assert all(s.first_name not in wall and s.username not in wall for s in students)
    assert DilemmaVote.objects.filter(run=run, round=1).count() == 4


def test_a_student_sees_their_vote_is_in_and_cannot_vote_twice(client, room):
    run, teacher, students = room
    run = to(run, teacher, "voting")
    vote(client, run, students[0], 0)
    page = text(client.get(run.get_absolute_url()))
    assert "Your vote is in. Thank you!" in page and "Because: Because it is kind." in page
    again = vote(client, run, students[0], 2, reason="I changed my mind.")
    assert again.status_code == 200
    assert "You have already voted. Each person votes once. Here is what you wrote: “I changed my mind.”" in text(again)
    assert list(DilemmaVote.objects.filter(run=run).values_list("option", flat=True)) == [0]


def test_an_empty_or_too_long_reason_or_no_choice_is_refused_with_the_typed_text_kept(client, room):
    run, teacher, students = room
    run = to(run, teacher, "voting")
    empty = vote(client, run, students[0], 1, reason="   ")
    assert "Tell why you picked it, in a few words." in text(empty)
    long = "x" * (DILEMMA_TEXT_MAX + 1)
    too_long = vote(client, run, students[0], 1, reason=long)
    assert "please keep it under 1000 letters (you have 1001)" in text(too_long)
    assert f">{long}</textarea>" in text(too_long)
    no_choice = vote(client, run, students[0], "", reason="I am not sure yet.")
    assert "Pick one of the choices." in text(no_choice) and ">I am not sure yet.</textarea>" in text(no_choice)
    assert not DilemmaVote.objects.exists()


def test_html_in_a_reason_is_shown_as_text(client, room):
    run, teacher, students = room
    run = to(run, teacher, "voting")
    vote(client, run, students[0], 0, reason="<script>alert('hi')</script><b>kind</b>")
    page = text(client.get(run.get_absolute_url()))
    assert (
        "<script>alert" not in page
        and "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;&lt;b&gt;kind&lt;/b&gt;" in page
    )


def test_a_vote_after_voting_closed_is_refused_and_what_was_typed_is_shown_back(client, room):
    run, teacher, students = room
    run = to(run, teacher, "voting")
    vote(client, run, students[0], 0)
    run = to(run, teacher, "grouped")
    late = vote(client, run, students[1], 2, reason="I was <late> but I care.")
    page = text(late)
    assert late.status_code == 200
    assert (
        "Voting has closed, so this vote was not counted. Here is what you wrote: “I was &lt;late&gt; but I care.”"
        in page
    )
    assert DilemmaVote.objects.filter(run=run).count() == 1


def test_groups_are_formed_from_the_first_votes_mixed(client, room):
    run, teacher, students = room
    run = to(run, teacher, "voting")
    for student, option in zip(students, (0, 0, 0, 1, 1, 1), strict=True):
        vote(client, run, student, option)
    run = to(run, teacher, "grouped")
    client.force_login(teacher)
    client.post(reverse("curriculum:live_groups", args=[run.pk]), {"size": 3, "mode": "mixed"})
    options = dict(DilemmaVote.objects.filter(run=run).values_list("student_id", "option"))
    for group in run.groups.all():
        assert {options[m.student_id] for m in group.members.all()} == {0, 1}
    client.post(reverse("curriculum:live_groups", args=[run.pk]), {"size": 3, "mode": "alike"})
    for group in run.groups.all():
        assert len({options[m.student_id] for m in group.members.all()}) == 1


def restate(client, run, student, author_id, restatement="You think we should sit with them.", reply="I agree a bit."):
    client.force_login(student)
    return client.post(
        reverse("curriculum:dilemma_restate", args=[run.pk]),
        {"author": author_id, "restatement": restatement, "reply": reply},
    )


def restating_room(client, room):
    run, teacher, students = room
    run = to(run, teacher, "voting")
    for student, option in zip(students[:4], (0, 1, 0, 1), strict=True):
        vote(client, run, student, option, reason=f"Reason of {student.username}")
    return to(run, teacher, "restating"), teacher, students


def test_each_student_restates_a_classmate_who_chose_differently_without_the_name_then_the_author_rates_it(
    client, room
):
    run, teacher, students = restating_room(client, room)
    client.force_login(students[0])
    page = text(client.get(run.get_absolute_url()))
    assert "A classmate chose differently" in page and "They picked:" in page
    shown = re.search(r'name="author" value="(\d+)"', page)
    author = next(s for s in students if s.pk == int(shown[1]))
    assert DilemmaVote.objects.get(run=run, round=1, student=author).option == 1
    assert f"Reason of {author.username}" in page
    assert author.first_name not in page.split('id="my-group-heading"')[0]  # the name only in the group list
    assert restate(client, run, students[0], author.pk)["Location"] == run.get_absolute_url()
    assert Restatement.objects.filter(run=run).count() == 4  # everyone's assignment, stored with the first
    written = Restatement.objects.get(run=run, reader=students[0])
    assert (written.author, written.restatement, written.reply) == (
        author,
        "You think we should sit with them.",
        "I agree a bit.",
    )

    client.force_login(author)
    page = text(client.get(run.get_absolute_url()))
    assert "A classmate said your reason back" in page and "You think we should sit with them." in page
    assert students[0].username not in page
    rate = reverse("curriculum:dilemma_rate", args=[run.pk, written.pk])
    assert client.post(rate, {"rating": "partly"})["Location"] == run.get_absolute_url()
    written.refresh_from_db()
    assert written.rating == "partly" and written.rated_at
    client.force_login(students[0])
    assert "Your classmate says: <strong>Partly</strong>" in text(client.get(run.get_absolute_url()))


def test_a_rating_of_a_restatement_that_is_not_of_ones_reason_is_a_404(client, room):
    run, teacher, students = restating_room(client, room)
    written = services.restatement_write(
        run,
        by=students[0],
        author_id=services.selectors.assignments(run)[students[0].pk],
        restatement="You think so.",
        reply="Ok.",
    )
    for someone in (
        students[0],
        next(s for s in students[:4] if s.pk != written.author_id and s != students[0]),
        students[5],
    ):
        client.force_login(someone)
        assert (
            client.post(reverse("curriculum:dilemma_rate", args=[run.pk, written.pk]), {"rating": "yes"}).status_code
            == 404
        )
    client.force_login(teacher)
    assert (
        client.post(reverse("curriculum:dilemma_rate", args=[run.pk, written.pk]), {"rating": "yes"}).status_code == 404
    )
    written.refresh_from_db()
    assert written.rating == ""


def test_a_restatement_of_ones_own_reason_a_second_one_and_empty_text_are_refused_with_the_text_kept(client, room):
    run, teacher, students = restating_room(client, room)
    own = restate(client, run, students[0], students[0].pk, restatement="I think <mine> is right.")
    assert "That is your own reason. Say back a classmate&#x27;s reason instead." in text(own)
    assert ">I think &lt;mine&gt; is right.</textarea>" in text(own)
    author = services.selectors.assignments(run)[students[0].pk]
    empty = restate(client, run, students[0], author, restatement="", reply="My reply stays.")
    assert "Say back their reason in your own words first." in text(empty) and ">My reply stays.</textarea>" in text(
        empty
    )
    no_reply = restate(client, run, students[0], author, reply=" ")
    assert "Now write your reply to them." in text(no_reply)
    assert not Restatement.objects.filter(restated_at__isnull=False).exists()
    restate(client, run, students[0], author)
    second = restate(client, run, students[0], author, restatement="Again!")
    assert "You have already said it back. Thank you!" in text(second)
    assert Restatement.objects.get(reader=students[0]).restatement == "You think we should sit with them."


def test_a_student_who_did_not_vote_has_nothing_to_restate_and_cannot_post_one(client, room):
    run, teacher, students = restating_room(client, room)
    client.force_login(students[5])
    assert "You did not vote this time" in text(client.get(run.get_absolute_url()))
    refused = restate(client, run, students[5], students[0].pk)
    assert "There is no classmate&#x27;s reason for you to say back." in text(refused)


def test_a_restatement_after_the_step_ended_keeps_the_text_in_a_message(client, room):
    run, teacher, students = restating_room(client, room)
    author = services.selectors.assignments(run)[students[0].pk]
    to(run, teacher, "revote")
    late = restate(client, run, students[0], author, restatement="You think it is <fair>.")
    page = text(late)
    assert (
        "This step has ended, so this was not saved. Here is what you wrote: “You think it is &lt;fair&gt;. / I agree a bit.”"
        in page
    )


def test_the_revote_and_the_result_show_how_opinions_moved_and_the_ratings(client, room):
    run, teacher, students = restating_room(client, room)
    pairs = services.selectors.assignments(run)
    for reader in students[:4]:
        services.restatement_write(run, by=reader, author_id=pairs[reader.pk], restatement="You think so.", reply="Hm.")
    for i, row in enumerate(Restatement.objects.filter(run=run).select_related("run").order_by("pk")):
        services.restatement_rate(row, by=row.author, rating=("yes", "yes", "partly", "no")[i])
    run = to(run, teacher, "revote")
    client.force_login(students[0])
    assert "Vote again. You can keep your choice or change it." in text(client.get(run.get_absolute_url()))
    for student, option in zip(students[:4], (0, 0, 2, 1), strict=True):  # 0->0, 1->0, 0->2, 1->1
        assert vote(client, run, student, option, reason="")["Location"] == run.get_absolute_url()
    client.force_login(teacher)
    assert "Second vote: 4 votes so far" in text(client.get(reverse("curriculum:live_projector", args=[run.pk])))
    run = to(run, teacher, "closed")
    wall = text(client.get(reverse("curriculum:live_projector", args=[run.pk])))
    assert "2 people changed their choice." in wall and "2 kept the same choice." in wall
    table = wall.split("<tbody>")[1].split("</tbody>")[0]
    rows = [re.findall(r"<td[^>]*>(\d+)</td>", row) for row in table.split("</tr>")[:3]]
    assert rows == [["1", "0", "1"], ["1", "1", "0"], ["0", "0", "0"]]
    assert '<th scope="col">First choice</th>' in wall and '<th scope="row">' in wall
    assert re.search(
        r"<dt>Yes, you got it</dt><dd>2</dd>.*<dt>Partly</dt><dd>1</dd>.*<dt>Not really</dt><dd>1</dd>", wall, re.S
    )
    client.force_login(students[1])
    assert "How our minds moved" in text(client.get(run.get_absolute_url()))


def test_the_actions_are_for_students_of_the_class_only(client, room):
    run, teacher, students = room
    run = to(run, teacher, "voting")
    outsider = StudentFactory(school=run.classroom.school)
    for who in (outsider, teacher):
        client.force_login(who)
        assert (
            client.post(reverse("curriculum:dilemma_vote", args=[run.pk]), {"option": 0, "reason": "x"}).status_code
            == 404
        )
        assert client.post(reverse("curriculum:dilemma_restate", args=[run.pk]), {}).status_code == 404
    client.force_login(students[0])
    assert client.get(reverse("curriculum:dilemma_vote", args=[run.pk])).status_code == 405
    assert not DilemmaVote.objects.exists()


@pytest.mark.parametrize("voters", [3, 12])
def test_the_projector_and_a_students_page_cost_the_same_queries_for_3_or_12_voters(
    client, voters, django_assert_max_num_queries
):
    classroom = ClassroomFactory(grade=6)
    students = StudentFactory.create_batch(voters, school=classroom.school)
    for student in students:
        classroom.enrollments.create(student=student)
    teacher = classroom.teachers.get()
    run = live_services.live_start(
        classroom=classroom, activity=ActivityFactory(kind="dilemma", content=DILEMMA), by=teacher
    )
    run = to(run, teacher, "voting")
    for i, student in enumerate(students):
        services.dilemma_vote(run, by=student, option=i % 3, reason="Because.")
    run = to(run, teacher, "restating")
    pairs = services.selectors.assignments(run)
    for student in students:
        services.restatement_write(run, by=student, author_id=pairs[student.pk], restatement="You think.", reply="Ok.")
    client.force_login(teacher)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("curriculum:live_projector", args=[run.pk])).status_code == 200
    client.force_login(students[0])
    with django_assert_max_num_queries(15):
        assert client.get(run.get_absolute_url()).status_code == 200
