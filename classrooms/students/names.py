"""Reading one typed or pasted line as a child's first and last name.

Teachers type names, or paste them from a spreadsheet or a school system's export. The rule, in order:

1. **A tab separates columns**, as a copy of spreadsheet cells gives them: the first column is the
   first name, the second the last name ("Sam⇥Lee" is Sam Lee). A line with more than two filled
   columns is refused: a grade or a birthday would otherwise become part of a name.
2. **A comma followed by a space means "Last, First"**, the way school systems list names:
   "Lee, Sam" is Sam Lee.
3. **A comma with no space after it separates cells of a CSV file**, first name first:
   "Sam,Lee" is Sam Lee. (A CSV file writes its cells without spaces; a person writing
   "last name, first name" puts one.) More than one comma is refused, for the reason of rule 1.
4. **Otherwise the last word is the last name**: "Mary Ann Lee" is Mary Ann (first) Lee (last);
   a single word is a first name alone.

Spaces inside each part are collapsed. The result can always be corrected on the student's
"Edit name" page.
"""

from dataclasses import dataclass


class NameLineProblem(ValueError):
    """A line that cannot be read as a name; ``reason`` says which rule refused it."""

    TOO_MANY_COLUMNS = "too_many_columns"
    TOO_MANY_COMMAS = "too_many_commas"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class NameParts:
    first: str
    last: str


def _tidy(text: str) -> str:
    return " ".join(text.split())


def name_split(line: str) -> NameParts:
    """``line`` as a first and last name, by the rules of this module (either part may come back empty)."""
    if "\t" in line:
        cells = [_tidy(cell) for cell in line.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > 2:
            raise NameLineProblem(NameLineProblem.TOO_MANY_COLUMNS)
        if len(cells) == 2:
            return NameParts(first=cells[0], last=cells[1])
        line = cells[0] if cells else ""
    if "," in line:
        if line.count(",") > 1:
            raise NameLineProblem(NameLineProblem.TOO_MANY_COMMAS)
        before, _comma, after = line.partition(",")
        if after[:1].isspace() or before[-1:].isspace():
            return NameParts(first=_tidy(after), last=_tidy(before))  # "Lee, Sam"
        return NameParts(first=_tidy(before), last=_tidy(after))  # "Sam,Lee"
    words = line.split()
    if not words:
        return NameParts(first="", last="")
    if len(words) == 1:
        return NameParts(first=words[0], last="")
    return NameParts(first=" ".join(words[:-1]), last=words[-1])
