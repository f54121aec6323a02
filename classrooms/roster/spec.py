"""Facts of the OneRoster 1.1 CSV binding that the reader checks a set against. Data only.

Each file's columns in the specification's order, the ones whose value the specification requires
(so a header without them cannot be read), names that exports use instead (OneRoster 1.0's names,
a singular for a plural), and the manifest's keys. Extension columns (``metadata.*``, ``ext_*``)
are allowed by the specification and stay accepted.
"""

import difflib

VERSION = "1.1"
MANIFEST_VERSION = "1.0"

COLUMNS = {
    "orgs.csv": ("sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"),
    "academicSessions.csv": (
        "sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId",
        "schoolYear",
    ),
    "courses.csv": (
        "sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades",
        "orgSourcedId", "subjects", "subjectCodes",
    ),
    "classes.csv": (
        "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType",
        "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods",
    ),
    "users.csv": (
        "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username", "userIds",
        "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades",
        "password",
    ),
    "enrollments.csv": (
        "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role",
        "primary", "beginDate", "endDate",
    ),
}  # fmt: skip

# Columns whose value the specification requires in a bulk file.
REQUIRED = {
    "orgs.csv": ("sourcedId", "name", "type"),
    "academicSessions.csv": ("sourcedId", "title", "type", "startDate", "endDate", "schoolYear"),
    "courses.csv": ("sourcedId", "title", "orgSourcedId"),
    "classes.csv": ("sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"),
    "users.csv": ("sourcedId", "enabledUser", "orgSourcedIds", "role", "username", "givenName", "familyName"),
    "enrollments.csv": ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
}

# Names exports write instead (OneRoster 1.0 names, common slips), by normalised spelling -> 1.1 name.
OLD_NAMES = {
    "classes.csv": {"termsourcedid": "termSourcedIds", "grade": "grades", "period": "periods", "subject": "subjects"},
    "users.csv": {
        "orgsourcedid": "orgSourcedIds", "userid": "userIds", "agents": "agentSourcedIds",
        "agentsourcedid": "agentSourcedIds", "grade": "grades", "firstname": "givenName", "lastname": "familyName",
    },
    "courses.csv": {"schoolyearid": "schoolYearSourcedId", "schoolyear": "schoolYearSourcedId", "grade": "grades"},
    "enrollments.csv": {"classid": "classSourcedId", "userid": "userSourcedId", "schoolid": "schoolSourcedId"},
    "orgs.csv": {"parentid": "parentSourcedId"},
    "academicSessions.csv": {"parentid": "parentSourcedId"},
}  # fmt: skip

# Files Heard reads, in the order the reader needs them; users, classes and enrollments must be there.
FILES = ("orgs.csv", "academicSessions.csv", "courses.csv", "classes.csv", "users.csv", "enrollments.csv")
NEEDED = ("users.csv", "classes.csv", "enrollments.csv")
# Files of the binding Heard has no use for: known, not listed as strange.
OTHER_FILES = (
    "manifest.csv", "demographics.csv", "categories.csv", "classResources.csv", "courseResources.csv",
    "lineItems.csv", "resources.csv", "results.csv",
)  # fmt: skip

MANIFEST_FILE_KEYS = {
    f"file.{name}": f"{name}.csv"
    for name in (
        "academicSessions", "categories", "classes", "classResources", "courses", "courseResources",
        "demographics", "enrollments", "lineItems", "orgs", "resources", "results", "users",
    )
}  # fmt: skip
MANIFEST_KEYS = {"manifest.version", "oneroster.version", "source.systemName", "source.systemCode", *MANIFEST_FILE_KEYS}
MANIFEST_MODES = {"absent", "bulk", "delta"}

STATUSES = {"active", "tobedeleted"}
DELETED = "tobedeleted"


def is_extension(column: str) -> bool:
    return column.startswith(("metadata.", "ext_"))


def _squashed(text: str) -> str:
    return "".join(text.split()).replace("_", "").casefold()


def expected_name(file: str, column: str) -> str | None:
    """The 1.1 name ``column`` stands for (case aside), or None when it is none of the file's columns."""
    by_key = {_squashed(name): name for name in COLUMNS[file]}
    key = _squashed(column)
    if key in by_key:
        return by_key[key]
    return None


def misnamed(file: str, column: str) -> str | None:
    """The 1.1 column an unknown ``column`` most likely means: an old name, a singular, a near spelling."""
    key = _squashed(column)
    if key in OLD_NAMES.get(file, {}):
        return OLD_NAMES[file][key]
    by_key = {_squashed(name): name for name in COLUMNS[file]}
    for variant in (key + "s", key.removesuffix("s")):
        if variant in by_key:
            return by_key[variant]
    close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.8)
    return by_key[close[0]] if close else None
