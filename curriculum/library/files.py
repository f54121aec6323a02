"""Reading the shipped lesson files: one YAML file per lesson under ``curriculum/lessons/``.

A file that is not valid YAML, or whose lesson does not fit ``curriculum.content.LessonSpec``, gives a
``LessonFileError`` naming the file and the field, and nothing of it is loaded. No database here.
"""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from curriculum.content import LessonSpec

LESSONS_DIR = Path(__file__).resolve().parent.parent / "lessons"


@dataclass(frozen=True)
class LessonFile:
    path: Path
    spec: LessonSpec
    digest: str


class LessonFileError(ValueError):
    def __init__(self, path: Path, field: str, message: str):
        self.path, self.field, self.message = path, field, message
        super().__init__(f"{_shown(path)}: {field}: {message}" if field else f"{_shown(path)}: {message}")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(LESSONS_DIR.parent.parent))
    except ValueError:
        return str(path)


def lesson_paths(directory: Path = LESSONS_DIR) -> list[Path]:
    return sorted(directory.rglob("*.yaml"))


def lesson_file_read(path: Path) -> LessonFile:
    raw = path.read_bytes()
    return _parse(path, raw, hashlib.sha256(raw).hexdigest())


@lru_cache(maxsize=512)
def _parse(path: Path, raw: bytes, digest: str) -> LessonFile:
    # Cached by content: the test database is flushed and reloaded many times, the files stay the same.
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise LessonFileError(path, "", f"is not a readable YAML file ({error})") from None
    if not isinstance(data, dict):
        raise LessonFileError(path, "", "holds no lesson (a YAML mapping of fields is expected)")
    try:
        spec = LessonSpec.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(the lesson)"
        raise LessonFileError(path, field, first["msg"]) from None
    return LessonFile(path=path, spec=spec, digest=digest)
