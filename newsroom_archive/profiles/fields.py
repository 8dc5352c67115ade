"""Reading one declared field from a page: the source expressions of a profile.

A field is a source (``css:``, ``xpath:``, ``jsonld:``, ``meta:``, ``url:``,
``const:``), a list of them (the first that gives a value wins), or a table that starts
from a source or from another field and then splits, matches or hands the value to a
named hook. Everything here is pure: a selector, the page URL and the spec in, text out.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from parsel import Selector

from newsroom_archive.sites.common import article_rank, json_ld_nodes, meta, squash, text_of

Hook = Callable[[str | None], str | None]

_PSEUDO = re.compile(r"::(?:text|attr\([^)]*\))\s*$")
_DATE_SOURCE = {"jsonld": "jsonld", "meta": "meta", "css": "time-element", "xpath": "time-element"}


@dataclass(frozen=True)
class Step:
    """One way of reading a field: where from, then what to do with the text."""

    source: tuple[str, ...] = ()
    from_field: str | None = None
    exclude: str | None = None
    split: str | None = None
    part: int = 0
    pattern: re.Pattern[str] | None = None
    hook: str | None = None
    all: bool = False


@dataclass(frozen=True)
class Field:
    """A declared field: its steps are tried in order until one gives a value."""

    steps: tuple[Step, ...]

    @property
    def takes_all(self) -> bool:
        return any(step.all for step in self.steps)

    @property
    def uses_fields(self) -> frozenset[str]:
        return frozenset(s.from_field for s in self.steps if s.from_field)


def compile_field(spec: Any) -> Field:
    """A field from its (schema-checked) TOML value."""
    items = spec if isinstance(spec, list) and any(isinstance(s, dict) for s in spec) else [spec]
    steps = []
    for item in items:
        if isinstance(item, dict):
            source = item.get("source", ())
            pattern = item.get("pattern")
            steps.append(
                Step(
                    source=tuple([source] if isinstance(source, str) else source),
                    from_field=item.get("from"),
                    exclude=item.get("exclude"),
                    split=item.get("split"),
                    part=item.get("part", 0),
                    pattern=re.compile(pattern) if pattern else None,
                    hook=item.get("hook"),
                    all=item.get("all", False),
                )
            )
        else:
            steps.append(Step(source=tuple([item] if isinstance(item, str) else item)))
    return Field(tuple(steps))


@dataclass
class Page:
    """What field sources read: the whole page, the part fields are read in, the URL."""

    root: Selector
    scope: Selector
    url: str
    hooks: Mapping[str, Hook]


def read(field: Field | None, page: Page, done: Mapping[str, Any] | None = None) -> list[str]:
    """Every value the field gives: one, unless it takes all."""
    values, _ = read_with_origin(field, page, done)
    return values


def read_with_origin(
    field: Field | None, page: Page, done: Mapping[str, Any] | None = None
) -> tuple[list[str], str | None]:
    """The field's values and the ``date_source`` name of the source that gave them."""
    if field is None:
        return [], None
    for step in field.steps:
        values, origin = _step(step, page, done or {})
        if values:
            return (values if step.all else values[:1]), origin
    return [], None


def first(field: Field | None, page: Page, done: Mapping[str, Any] | None = None) -> str | None:
    values = read(field, page, done)
    return values[0] if values else None


def exists(sources: tuple[str, ...], page: Page) -> bool:
    """Whether any of the sources matches at all (an element need not have text)."""
    for source in sources:
        kind, _, expr = source.partition(":")
        if kind == "css" and page.scope.css(expr):
            return True
        if kind == "xpath" and page.scope.xpath(expr):
            return True
        if kind in ("jsonld", "meta", "url", "const") and _raw(source, page, None):
            return True
    return False


def elements(source: str, scope: Selector) -> list[Selector]:
    """The elements a ``css:`` or ``xpath:`` source selects (for cards, figures, scopes)."""
    kind, _, expr = source.partition(":")
    found = scope.css(expr) if kind == "css" else scope.xpath(expr)
    return [node for node in found if hasattr(node.root, "tag")]


def _step(step: Step, page: Page, done: Mapping[str, Any]) -> tuple[list[str], str | None]:
    origin: str | None = None
    if step.from_field is not None:
        start = done.get(step.from_field)
        raw = [start] if isinstance(start, str) else list(start or [])
    else:
        raw = []
        for source in step.source:
            raw = _raw(source, page, step.exclude)
            if raw:
                origin = _DATE_SOURCE.get(source.partition(":")[0])
                break
    if step.all and step.split is not None:
        # Every part of a list written in one string (``<meta name="keywords">``).
        raw = [part for value in raw for part in value.split(step.split)]
        step = replace(step, split=None)
    values = [v for v in (_shape(value, step, page) for value in raw) if v]
    return values, origin


def _shape(value: str | None, step: Step, page: Page) -> str | None:
    value = squash(value)
    if value is not None and step.split is not None:
        parts = value.split(step.split)
        value = squash(parts[step.part]) if -len(parts) <= step.part < len(parts) else None
    if value is not None and step.pattern is not None:
        match = step.pattern.search(value)
        if match is None:
            value = None
        else:
            value = squash(match.group(1) if match.groups() else match.group(0))
    if step.hook is not None:
        value = squash(page.hooks[step.hook](value))
    return value


def _raw(source: str, page: Page, exclude: str | None) -> list[str]:
    kind, _, expr = source.partition(":")
    if kind == "css":
        if _PSEUDO.search(expr):
            return [v for v in page.scope.css(expr).getall() if v.strip()]
        return _texts(page.scope.css(expr), exclude)
    if kind == "xpath":
        found = page.scope.xpath(expr)
        if found and not hasattr(found[0].root, "tag"):
            return [str(node.root) for node in found if str(node.root).strip()]
        return _texts(found, exclude)
    if kind == "meta":
        value = meta(page.root, expr)
        return [value] if value else []
    if kind == "jsonld":
        return list(_json_ld(page.root, expr))
    if kind == "url":
        match = re.search(expr, page.url)
        return [match.group(1) if match.groups() else match.group(0)] if match else []
    if kind == "const":
        return [expr]
    raise ValueError(f"unknown source {source!r}")


def _texts(nodes: Any, exclude: str | None) -> list[str]:
    texts = []
    for node in nodes:
        if exclude and hasattr(node.root, "tag"):
            node = without(node, exclude)
        text = text_of(node)
        if text:
            texts.append(text)
    return texts


def without(node: Selector, exclude: str) -> Selector:
    """A copy of the element with the parts ``exclude`` selects removed (the page's own
    tree is left whole for the other fields)."""
    root = copy.deepcopy(node.root)
    clone = Selector(root=root)
    for part in clone.css(exclude):
        element = part.root
        parent = element.getparent()
        if parent is None:
            continue
        # The removed element's tail is text of its parent, which stays.
        if element.tail:
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
        parent.remove(element)
    return clone


# Elements that begin and end a paragraph of a body; inline content between them, and
# text loose in a container beside them, forms a paragraph of its own.
_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "caption", "center", "dd", "div", "dl"}
    | {"dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4"}
    | {"h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table"}
    | {"tbody", "tfoot", "thead", "ul"}
)
# Read as one paragraph whatever they hold: a table row (its cells), preformatted text.
_WHOLE_TAGS = frozenset({"tr", "pre"})
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})


def paragraphs(node: Selector) -> list[str]:
    """The paragraphs of a body as a browser lays them out: every block element, every
    run of text between blocks (CMS bodies leave text loose after a list), and the
    parts of a paragraph an empty line (``<br><br>``) separates, which is how many
    editors write paragraphs. Each list item is one, a sub-list's items too, as they
    stand on their own lines; a single ``<br>`` is a line break inside a paragraph."""
    out: list[str] = []
    run: list[str] = []
    breaks = 0

    def end() -> None:
        nonlocal breaks
        text = squash("".join(run))
        if text:
            out.append(text)
        run.clear()
        breaks = 0

    def add(text: str | None) -> None:
        nonlocal breaks
        if text:
            run.append(text)
            if text.strip():
                breaks = 0

    def walk(element: Any) -> None:
        nonlocal breaks
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _NOT_TEXT:
            return
        if tag == "br":
            breaks += 1
            if breaks > 1:
                end()
            else:
                run.append(" ")
            return
        if tag in _WHOLE_TAGS:
            end()
            add(text_of(Selector(root=element)))
            end()
            return
        block = tag in _BLOCK_TAGS
        if block:
            end()
        add(element.text)
        for child in element:
            walk(child)
            add(child.tail)
        if block:
            end()

    if hasattr(node.root, "tag"):
        walk(node.root)
        end()
    return out


def _json_ld(root: Selector, path: str) -> Iterator[str]:
    """Values at a dotted path of the page's JSON-LD nodes, articles first."""
    nodes = list(json_ld_nodes(root))
    nodes.sort(key=article_rank)
    for node in nodes:
        yield from _walk(node, path.split("."))


def _walk(value: Any, keys: list[str]) -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, keys)
        return
    if not keys:
        if isinstance(value, str) and value.strip():
            yield value
        elif isinstance(value, dict):
            for key in ("name", "url", "@id"):
                if isinstance(value.get(key), str):
                    yield value[key]
                    return
        return
    if isinstance(value, dict) and keys[0] in value:
        yield from _walk(value[keys[0]], keys[1:])
