"""The exercises' own steps through their pages: pairs made when a pair exercise is given (and made again
by the teacher), a story shared from the answer form, a retelling rated before one's own rating shows,
and the class's spread of answers without names."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.assignments.services import assignment_create, submission_turn_in
from curriculum.models import Pairing, Submission
from tests.factories import ActivityFactory, ClassroomFactory, EnrollmentFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

EXCHANGE = {"prompt": "Tell about a time you helped.", "retell_prompt": "Tell it as your partner would."}
STORY = {
    "title": "The kite", "lines": ["Ana had a kite.", "The wind took it.", "Ben ran to get it."],
    "questions": [{"after_line": 2, "asks": "feels", "character": "Ana", "question": "How does Ana feel?"}],
}


def _class(n):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(school=teacher.school)
    classroom.teachers.add(teacher)
    kids = [StudentFactory(school=teacher.school, first_name=f"Kid{i}", last_name="Zed") for i in range(n)]
    for kid in kids:
        EnrollmentFactory(classroom=classroom, student=kid)
    return teacher, classroom, kids


def _give(classroom, teacher, kind, content):
    activity = ActivityFactory(kind=kind, content=content)
    return assignment_create(classroom=classroom, activity=activity, by=teacher)


def test_a_story_exchange_is_paired_when_given_and_the_teacher_may_pair_again(client):
    teacher, classroom, kids = _class(5)
    assignment = _give(classroom, teacher, "story_exchange", EXCHANGE)
    pairs = list(Pairing.objects.filter(assignment=assignment))
    assert len(pairs) == 5 and {p.reader_id for p in pairs} == {k.pk for k in kids}
    client.force_login(teacher)
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert "Partners" in page and "reads" in page
    assert client.post(reverse("curriculum:pairs_redo", args=[assignment.pk])).status_code == 302
    assert Pairing.objects.filter(assignment=assignment).count() == 5
    # Another teacher's class: a 404, and nothing changes.
    client.force_login(TeacherFactory(school=classroom.school))
    assert client.post(reverse("curriculum:pairs_redo", args=[assignment.pk])).status_code == 404


def test_sharing_rating_and_seeing_ones_rating_through_the_pages(client):
    teacher, classroom, (ana, ben) = _class(2)
    assignment = _give(classroom, teacher, "story_exchange", EXCHANGE)
    ana_work, ben_work = (assignment.submissions.get(student=s) for s in (ana, ben))

    client.force_login(ana)
    client.post(reverse("curriculum:story_share", args=[ana_work.pk]), {"story": "I fed my <b>neighbor's</b> cat."})
    client.force_login(ben)
    page = client.get(ben_work.get_absolute_url()).content.decode()
    assert "I fed my &lt;b&gt;neighbor&#x27;s&lt;/b&gt; cat." in page  # the partner's story, as text
    submission_turn_in(submission=ben_work, by=ben, answer={"story": "I lost a tooth.", "retelling": "I fed the cat next door. I was proud."})

    client.force_login(ana)
    page = client.get(ana_work.get_absolute_url()).content.decode()
    assert "I fed the cat next door. I was proud." in page and "Send my rating" in page
    # Ben rates Ana's retelling later; Ana rates Ben's now and then sees hers only once Ben has rated too.
    response = client.post(reverse("curriculum:retelling_rate", args=[ana_work.pk]), {"faithful": "3", "feelings": "2", "no_judgement": "3"}, follow=True)
    assert "Your partner has not rated your retelling yet." in response.content.decode()
    assert Pairing.objects.get(assignment=assignment, teller=ana).faithful == 3

    # Rating twice, or with a value a browser cannot send, is refused with a message.
    again = client.post(reverse("curriculum:retelling_rate", args=[ana_work.pk]), {"faithful": "9", "feelings": "2", "no_judgement": "3"}, follow=True)
    assert "already rated" in again.content.decode()


def test_a_student_cannot_share_or_rate_someone_elses_work(client):
    teacher, classroom, (ana, ben) = _class(2)
    assignment = _give(classroom, teacher, "story_exchange", EXCHANGE)
    ben_work = assignment.submissions.get(student=ben)
    client.force_login(ana)
    assert client.post(reverse("curriculum:story_share", args=[ben_work.pk]), {"story": "x"}).status_code == 404
    assert client.post(reverse("curriculum:retelling_rate", args=[ben_work.pk]), {"faithful": "3"}).status_code == 404
    assert not Pairing.objects.filter(assignment=assignment, shared_at__isnull=False).exists()


def test_sharing_an_empty_or_over_long_story_is_refused_with_a_message(client):
    teacher, classroom, (ana, ben) = _class(2)
    assignment = _give(classroom, teacher, "story_exchange", EXCHANGE)
    work = assignment.submissions.get(student=ana)
    client.force_login(ana)
    for story, message in (("   ", "Write your story first"), ("x" * 2001, "longer than 2000")):
        response = client.post(reverse("curriculum:story_share", args=[work.pk]), {"story": story}, follow=True)
        assert message in response.content.decode()
    assert not Pairing.objects.filter(assignment=assignment, shared_at__isnull=False).exists()


def test_the_class_spread_opens_for_the_teacher_and_for_a_student_only_after_turning_in(client):
    teacher, classroom, (ana, ben) = _class(2)
    assignment = _give(classroom, teacher, "story_inner_state", STORY)
    url = reverse("curriculum:class_spread", args=[assignment.pk])
    ana_work = assignment.submissions.get(student=ana)
    submission_turn_in(submission=ana_work, by=ana, answer={"answers": [{"text": "Sad <i>a lot</i>", "line": 2, "feeling": "sad"}]})

    client.force_login(ben)
    assert client.get(url).status_code == 404  # not turned in yet: no copying
    client.force_login(ana)
    page = client.get(url).content.decode()
    main = page.split("<main", 1)[1]  # the menu above says who is signed in
    assert "Sad &lt;i&gt;a lot&lt;/i&gt;" in main and "Kid" not in main
    client.force_login(teacher)
    assert client.get(url).status_code == 200
    assert "See what the class thought" in client.get(assignment.get_absolute_url()).content.decode()
    client.force_login(TeacherFactory())
    assert client.get(url).status_code == 404


def test_a_partner_feelings_guess_is_paired_when_given():
    teacher, classroom, kids = _class(3)
    content = {"key_source": "partner", "scenario": "Your partner lost a game.", "why_prompt": "Why?"}
    assignment = _give(classroom, teacher, "feelings_guess", content)
    assert Pairing.objects.filter(assignment=assignment).count() == 3
    assert not Submission.objects.filter(assignment=assignment).exclude(state="assigned").exists()


def test_the_teacher_chooses_the_partners_with_group_numbers(client):
    teacher, classroom, kids = _class(5)
    assignment = _give(classroom, teacher, "story_exchange", EXCHANGE)
    client.force_login(teacher)
    url = reverse("curriculum:pairs_choose", args=[assignment.pk])
    # 1 and 2 together, 3, 4 and 5 a trio.
    numbers = {kids[0]: "1", kids[1]: "1", kids[2]: "2", kids[3]: "2", kids[4]: "2"}
    client.post(url, {f"group-{k.pk}": n for k, n in numbers.items()})
    reads = dict(Pairing.objects.filter(assignment=assignment).values_list("reader_id", "teller_id"))
    assert reads[kids[0].pk] == kids[1].pk and reads[kids[1].pk] == kids[0].pk
    assert {reads[k.pk] for k in kids[2:]} == {k.pk for k in kids[2:]}
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert f'name="group-{kids[0].pk}" value="1"' in page and f'name="group-{kids[4].pk}" value="2"' in page

    # A student alone, or left without a number, is refused with a message; the partners stay as they were.
    response = client.post(url, {f"group-{kids[0].pk}": "1", f"group-{kids[1].pk}": "2"}, follow=True)
    assert "two or three students" in response.content.decode()
    assert dict(Pairing.objects.filter(assignment=assignment).values_list("reader_id", "teller_id")) == reads
    client.force_login(TeacherFactory(school=classroom.school))
    assert client.post(url, {}).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("kind", ["story_exchange", "story_inner_state"])
def test_the_assignment_page_and_the_spread_cost_the_same_queries_for_2_or_20_students(client, kind):
    counts = []
    for size in (2, 20):
        teacher, classroom, kids = _class(size)
        assignment = _give(classroom, teacher, kind, EXCHANGE if kind == "story_exchange" else STORY)
        for kid in kids:
            if kind == "story_inner_state":
                submission_turn_in(
                    submission=assignment.submissions.get(student=kid), by=kid,
                    answer={"answers": [{"text": f"Sad {kid.pk}", "line": 2, "feeling": "sad"}]},
                )
        client.force_login(teacher)
        urls = [assignment.get_absolute_url()]
        if kind == "story_inner_state":
            urls.append(reverse("curriculum:class_spread", args=[assignment.pk]))
        client.get(urls[0])  # the session's first request warms what it caches
        counts.append([_queries(client, url) for url in urls])
    assert counts[0] == counts[1], counts
