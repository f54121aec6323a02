"""Reading a page as a person reads it: its tables, its definition lists, the text of one section.

Tests that promise what a page shows assert on these, not on the view's context: a figure the
view computed but the template dropped fails here. Text is what a screen reader announces:
elements marked ``aria-hidden="true"`` are left out, visually hidden ones are kept.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED = {"script", "style", "template"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Elements and strings

    def find_all(self, tag: str | None = None, **attrs):
        """Descendants with ``tag`` (any when None) whose attributes include ``attrs`` (class_ matches one class)."""
        for child in self.children:
            if isinstance(child, Element):
                if _matches(child, tag, attrs):
                    yield child
                yield from child.find_all(tag, **attrs)

    def find(self, tag: str | None = None, **attrs) -> "Element":
        found = next(self.find_all(tag, **attrs), None)
        assert found is not None, f"no <{tag or '*'} {attrs}> on the page"
        return found

    @property
    def text(self) -> str:
        """The element's text as a screen reader would read it, with whitespace collapsed."""
        return " ".join(self._words())

    def _words(self):
        if self.attrs.get("aria-hidden") == "true" or self.tag in SKIPPED:
            return
        for child in self.children:
            if isinstance(child, Element):
                yield from child._words()
            else:
                yield from child.split()


def _matches(element: Element, tag: str | None, attrs: dict) -> bool:
    if tag is not None and element.tag != tag:
        return False
    for name, wanted in attrs.items():
        if name == "class_":
            if wanted not in element.attrs.get("class", "").split():
                return False
        elif element.attrs.get(name.replace("_", "-")) != wanted:
            return False
    return True


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):  # tolerate an unclosed <p> or <li>, as browsers do
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _cells(row: Element) -> list[Element]:
    return [cell for cell in row.children if isinstance(cell, Element) and cell.tag in ("th", "td")]


def table(html: str, *, caption: str | None = None) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The body rows and footer rows of the page's table (the one whose caption contains ``caption``),
    each row a dict from its column header's text to the cell's text."""
    tables = list(parse(html).find_all("table"))
    if caption is not None:
        tables = [t for t in tables if any(caption in c.text for c in t.find_all("caption"))]
    assert len(tables) == 1, f"expected one table{f' captioned {caption!r}' if caption else ''}, found {len(tables)}"
    found = tables[0]
    headers = [cell.text for cell in _cells(found.find("thead").find("tr"))]

    def rows(part: str) -> list[dict[str, str]]:
        sections = list(found.find_all(part))
        return [dict(zip(headers, (c.text for c in _cells(tr)), strict=True)) for s in sections for tr in s.find_all("tr")]

    return rows("tbody"), rows("tfoot")


def definitions(html: str, **attrs) -> dict[str, str]:
    """The terms and definitions of the page's ``<dl>`` (the one with ``attrs``), by term."""
    found = parse(html).find("dl", **attrs)
    terms = list(found.find_all("dt"))
    values = list(found.find_all("dd"))
    assert len(terms) == len(values)
    return {term.text: value.text for term, value in zip(terms, values, strict=True)}


def section_text(html: str, heading_id: str) -> str:
    """The text of the ``<section>`` headed by the element with id ``heading_id``."""
    return parse(html).find("section", aria_labelledby=heading_id).text
