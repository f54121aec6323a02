"""OneRoster 1.1 sets built in the test, from plain dicts: ``oneroster_zip({"users.csv": [{...}, ...]})``.

Each file's header is the union of its rows' keys in first-seen order, so a test writes only the
columns it cares about (and can misname one on purpose). ``messy_district_export`` is a district-wide
export with every pattern real exports showed at once.
"""

import csv
import io
import zipfile

MANIFEST = {
    "manifest.version": "1.0",
    "oneroster.version": "1.1",
    "file.academicSessions": "bulk",
    "file.categories": "absent",
    "file.classes": "bulk",
    "file.classResources": "absent",
    "file.courses": "bulk",
    "file.courseResources": "absent",
    "file.demographics": "absent",
    "file.enrollments": "bulk",
    "file.lineItems": "absent",
    "file.orgs": "bulk",
    "file.resources": "absent",
    "file.results": "absent",
    "file.users": "bulk",
    "source.systemName": "TestSIS",
    "source.systemCode": "",
}


def csv_text(rows: list[dict], header: list[str] | None = None) -> str:
    if header is None:
        header = []
        for row in rows:
            header += [key for key in row if key not in header]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue()


def oneroster_zip(files: dict, *, manifest: dict | None = MANIFEST, folder: str = "") -> bytes:
    """A .zip of CSV files; a value is a list of row dicts, or text written as it is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if manifest is not None:
            archive.writestr(
                f"{folder}manifest.csv", csv_text([{"propertyName": k, "value": v} for k, v in manifest.items()])
            )
        for name, content in files.items():
            archive.writestr(f"{folder}{name}", content if isinstance(content, str) else csv_text(content))
    return buffer.getvalue()


def org(sid, name, type_="school", **extra):
    return {"sourcedId": sid, "status": "active", "dateLastModified": "", "name": name, "type": type_,
            "identifier": "", "parentSourcedId": extra.pop("parent", "")} | extra  # fmt: skip


def term(sid, title, start, end, **extra):
    return {"sourcedId": sid, "status": "active", "dateLastModified": "", "title": title, "type": "term",
            "startDate": start, "endDate": end, "parentSourcedId": "", "schoolYear": "2027"} | extra  # fmt: skip


def course(sid, title, org_sid, **extra):
    return {"sourcedId": sid, "status": "active", "dateLastModified": "", "schoolYearSourcedId": "",
            "title": title, "courseCode": "", "grades": "", "orgSourcedId": org_sid} | extra  # fmt: skip


def klass(sid, title, *, course_sid="k1", school="org1", terms="t1", grades="03", **extra):
    return {"sourcedId": sid, "status": "active", "dateLastModified": "", "title": title, "grades": grades,
            "courseSourcedId": course_sid, "classCode": extra.pop("code", ""), "classType": "scheduled",
            "location": extra.pop("location", ""), "schoolSourcedId": school, "termSourcedIds": terms,
            "periods": extra.pop("periods", "")} | extra  # fmt: skip


def user(sid, username, given, family, *, role="student", orgs="org1", grades="03", **extra):
    return {"sourcedId": sid, "status": extra.pop("status", "active"), "dateLastModified": "", "enabledUser": "true",
            "orgSourcedIds": orgs, "role": role, "username": username, "userIds": "", "givenName": given,
            "familyName": family, "middleName": "", "identifier": "", "email": extra.pop("email", ""), "sms": "",
            "phone": "", "agentSourcedIds": extra.pop("agents", ""), "grades": grades if role == "student" else "",
            "password": ""} | extra  # fmt: skip


def enrollment(sid, class_sid, user_sid, role="student", *, school="org1", **extra):
    return {"sourcedId": sid, "status": extra.pop("status", "active"), "dateLastModified": "",
            "classSourcedId": class_sid, "schoolSourcedId": school, "userSourcedId": user_sid, "role": role,
            "primary": "true" if role == "teacher" else "false", "beginDate": extra.pop("begin", ""),
            "endDate": extra.pop("end", "")} | extra  # fmt: skip


def good_export(*, school_name: str, teacher: str = "ms.rivera") -> dict:
    """One school's clean set: two classes, two students, one teacher (``teacher`` is its username)."""
    return {
        "orgs.csv": [org("d1", "Lakeside District", "district"), org("org1", school_name, parent="d1")],
        "academicSessions.csv": [term("t1", "Fall", "2026-08-20", "2027-01-15")],
        "courses.csv": [course("k1", "Grade 3 Homeroom", "org1"), course("k2", "Kindergarten", "org1")],
        "classes.csv": [
            klass("c1", "Room 12", code="R12"),
            klass("c2", "Sunflowers", course_sid="k2", grades="KG", code="SF"),
        ],
        "users.csv": [
            user("u1", "maya.r", "Maya", "Rodriguez"),
            user("u2", "zoe.n", "Zoë", "Núñez", grades="KG", email="zoe@school.example"),
            user("tch1", teacher, "Ana", "Rivera", role="teacher"),
        ],
        "enrollments.csv": [
            enrollment("e1", "c1", "u1"),
            enrollment("e2", "c2", "u2"),
            enrollment("e3", "c1", "tch1", "teacher"),
        ],
    }


def messy_district_export(*, school_name: str) -> dict:
    """A district export as real systems ship it: two schools, deleted rows, sections sharing a title,
    a role conflict, broken references, a student enrolled nowhere, a teacher as a guardian, misnamed
    and reordered columns, a manifest with a typo. ``school_name`` is the uploading admin's school."""
    users = [
        user("u-1042", "ana.ruiz", "Ana", "Ruiz"),
        user("u-1043", "ben.okafor", "Ben", "Okafor", agents="tch-7"),
        user("u-1044", "cam.lee", "Cam", "Lee"),
        user("u-1045", "dev.patel", "Dev", "Patel", status="tobedeleted"),
        user("u-1046", "eli.stone", "Eli", "Stone"),  # enrolled nowhere
        user("u-2001", "fay.birch", "Fay", "Birch", orgs="org2"),  # the other school's student
        user("tch-7", "mr.grant", "Sam", "Grant", role="teacher"),
        user("tch-8", "ms.ortiz", "Lu", "Ortiz", role="teacher", orgs="org2"),
        user("p-1", "pat.okafor", "Pat", "Okafor", role="parent", grades=""),
    ]
    # users.csv: orgSourcedIds written singular, as one system does, and the columns in reverse order.
    users = [{("orgSourcedId" if k == "orgSourcedIds" else k): v for k, v in row.items()} for row in users]
    users = [dict(reversed(list(row.items()))) for row in users]
    classes = [
        klass("c-31", "Math 3", code="M3-A", periods="1"),
        klass("c-32", "Math 3", code="M3-B", periods="2"),
        klass("c-33", "Reading 3", course_sid="k-missing", terms="t-missing"),
        klass("c-34", "Art", status="tobedeleted"),
        klass("c-90", "Math 3", school="org2", code="M3"),  # the other school's section
    ]
    # classes.csv: the 1.0 name termSourcedId, and an extension column (accepted).
    classes = [
        {("termSourcedId" if k == "termSourcedIds" else k): v for k, v in row.items()} | {"ext_room_color": "blue"}
        for row in classes
    ]
    enrollments = [
        enrollment("e-1", "c-31", "u-1042"),
        enrollment("e-2", "c-32", "u-1042", "teacher"),  # Ana is a student in users.csv...
        enrollment("e-3", "c-33", "u-1042", "teacher"),  # ...but a teacher in 2 enrollments
        enrollment("e-4", "c-32", "u-1043", begin="2026-06-01", end="2026-12-01"),  # before its term starts
        enrollment("e-5", "c-33", "u-1044"),
        enrollment("e-6", "c-34", "u-1044"),  # in a deleted class
        enrollment("e-7", "c-31", "u-1045"),  # a deleted student
        enrollment("e-8", "c-32", "u-1044", status="tobedeleted"),
        enrollment("e-9", "c-31", "tch-7", "teacher"),
        enrollment("e-10", "c-90", "u-2001", school="org2"),
        enrollment("e-11", "c-90", "tch-8", "teacher", school="org2"),
        enrollment("e-12", "c-31", "p-1", "parent"),
    ]
    return {
        "orgs.csv": [
            org("d1", "Lakeside District", "district"),
            org("org1", school_name, parent="d1"),
            org("org2", "Birch Hill Elementary", parent="d1"),
        ],
        "academicSessions.csv": [term("t1", "Fall", "2026-08-20", "2027-01-15")],
        "courses.csv": [course("k1", "Math 3", "org1"), course("k2", "Math 3", "org2")],
        "classes.csv": classes,
        "users.csv": users,
        "enrollments.csv": enrollments,
    }


MESSY_MANIFEST = MANIFEST | {"file.demographic": "absent", "file.demographics": "bulk"}
