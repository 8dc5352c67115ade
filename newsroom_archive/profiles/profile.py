"""A newsroom profile: its TOML file, checked against the schema, as typed values.

``load_profile`` reads and checks one file; errors name the file, the key and the
reason (``ag-ohio.toml: layouts[0].listing.cards: 'div' does not match …``). The
values are frozen dataclasses; ``newsroom_archive.profiles.reader`` turns one into the
page readers of a :class:`~newsroom_archive.sites.base.Newsroom`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsroom_archive.normalise.kinds import KINDS
from newsroom_archive.profiles.fields import Field, Hook, compile_field

SCHEMA_FILE = Path(__file__).with_name("profile.schema.json")
NAME_PATTERN = "[a-z0-9][a-z0-9-]*"
"""A newsroom's name: the schema's pattern for ``name``."""

CARD_KEYS = ("title", "tag_line", "date_text", "type_label", "teaser", "caption", "photo_credit")
ARTICLE_KEYS = (
    "title",
    "type_label",
    "description",
    "published",
    "modified",
    "body",
    "image",
    "caption",
    "photo_credit",
    "tags",
    "attachments",
)


class ProfileError(ValueError):
    """A profile that cannot be used; the message is one line naming file, key, reason."""


@dataclass(frozen=True)
class ListingSpec:
    format: str
    detect: tuple[str, ...] = ()
    cards: str | None = None
    fields: dict[str, Field] = field(default_factory=dict)
    next: Field | None = None
    page_template: str | None = None
    first_page: int = 1
    page_number: Field | None = None


@dataclass(frozen=True)
class ArticleSpec:
    detect: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()
    fields: dict[str, Field] = field(default_factory=dict)
    body_exclude: tuple[str, ...] = ()
    figure: tuple[str, ...] = ()
    decode_cfemail: bool = False


@dataclass(frozen=True)
class Layout:
    """How the newsroom's pages looked for a stretch of time (Fundus's parser versions)."""

    name: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    """The first day the layout no longer applies."""
    listing: ListingSpec | None = None
    article: ArticleSpec | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day < self.valid_until
        )


@dataclass(frozen=True)
class Canonical:
    drop_query: tuple[str, ...] = ()
    keep_query: tuple[str, ...] | None = None
    https: bool = False
    trailing_slash: str = "keep"
    lowercase_path: bool = False


@dataclass(frozen=True)
class Profile:
    name: str
    organisation: str
    start_urls: tuple[str, ...]
    layouts: tuple[Layout, ...]
    path: Path
    language: str = "en"
    timezone: str | None = None
    hosts: tuple[str, ...] = ()
    day_first: bool = False
    date_formats: tuple[str, ...] = ()
    title_suffixes: tuple[str, ...] = ()
    kinds: dict[str, str] = field(default_factory=dict)
    kind_folders: dict[str, str] = field(default_factory=dict)
    required_card_fields: tuple[str, ...] = ()
    canonical: Canonical = Canonical()
    politeness: dict[str, Any] = field(default_factory=dict)
    hooks: dict[str, Hook] = field(default_factory=dict)

    def layouts_for(self, day: dt.date | None) -> list[Layout]:
        """Every layout, those valid on ``day`` first (newest first among equals):
        the order in which a page of that day is tried against them."""

        def key(layout: Layout) -> tuple[int, int]:
            valid = day is None or layout.valid_on(day)
            start = layout.valid_from.toordinal() if layout.valid_from else 0
            return (0 if valid else 1, -start)

        return sorted(self.layouts, key=key)


@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


_SOURCE_PATTERN = "^(css|xpath|jsonld|meta|url|const):.+"


def _leaf(error: Any) -> Any:
    """Inside a "one of these shapes" failure, the failure of the shape meant: not a
    type mismatch of another shape, the deepest key first."""
    leaves: list[Any] = []

    def walk(e: Any) -> None:
        if e.context:
            for sub in e.context:
                walk(sub)
        else:
            leaves.append(e)

    walk(error)
    meant = [e for e in leaves if e.validator != "type"] or leaves
    return max(meant, key=lambda e: len(e.absolute_path))


def _reason(error: Any) -> str:
    error = _leaf(error)
    message = error.message
    if error.validator == "pattern" and error.validator_value == _SOURCE_PATTERN:
        message = (
            f"{error.instance!r} is not a source: write css:…, xpath:…, jsonld:…, meta:…, "
            "url:… or const:…"
        )
    return f"{_where(error.absolute_path)}: {message}"


def load_profile(path: Path) -> Profile:
    """Read, check and compile one profile file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"{path.name}: cannot read: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path.name}: not TOML: {exc}") from None
    from jsonschema.exceptions import best_match

    # Of all that is wrong, the error most likely to name the mistake (jsonschema's own
    # choice, which looks inside "one of these shapes" failures).
    error = best_match(_validator().iter_errors(data))
    if error is not None:
        raise ProfileError(f"{path.name}: {_reason(error)}")
    try:
        return _build(data, path)
    except (ValueError, re.error) as exc:
        raise ProfileError(f"{path.name}: {exc}") from None


def _build(data: dict[str, Any], path: Path) -> Profile:
    name = data["name"]
    if name != path.stem:
        raise ValueError(f"name: {name!r} must be the file's name ({path.stem!r})")
    timezone = data.get("timezone")
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone: {timezone!r} is not an IANA time zone") from None
    for table in ("kinds", "kind_folders"):
        for label, kind in data.get(table, {}).items():
            if kind not in KINDS:
                raise ValueError(f"{table}.{label}: {kind!r} is not a kind of the codebook")
    hooks = _hooks(data.get("hooks"), path)
    layouts = tuple(_layout(raw, i) for i, raw in enumerate(data["layouts"]))
    _check_hooks(layouts, hooks)
    starts = tuple(data["start_urls"])
    # `hosts = []` claims no host: a sample newsroom on loopback is nobody's pages.
    hosts = tuple(
        data["hosts"]
        if "hosts" in data
        else dict.fromkeys(urlsplit(u).hostname or "" for u in starts)
    )
    canonical = data.get("canonical", {})
    return Profile(
        name=name,
        organisation=data["organisation"],
        start_urls=starts,
        layouts=layouts,
        path=path,
        language=data.get("language", "en"),
        timezone=timezone,
        hosts=hosts,
        day_first=data.get("day_first", False),
        date_formats=tuple(data.get("date_formats", ())),
        title_suffixes=tuple(data.get("title_suffixes", ())),
        kinds=dict(data.get("kinds", {})),
        kind_folders=dict(data.get("kind_folders", {})),
        required_card_fields=tuple(data.get("required_card_fields", ())),
        canonical=Canonical(
            drop_query=tuple(canonical.get("drop_query", ())),
            keep_query=tuple(canonical["keep_query"]) if "keep_query" in canonical else None,
            https=canonical.get("https", False),
            trailing_slash=canonical.get("trailing_slash", "keep"),
            lowercase_path=canonical.get("lowercase_path", False),
        ),
        politeness=dict(data.get("politeness", {})),
        hooks=hooks,
    )


def _sources(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _date(value: str | None, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a date") from None


def _layout(raw: dict[str, Any], index: int) -> Layout:
    where = f"layouts[{index}]"
    listing = raw.get("listing")
    article = raw.get("article")
    layout = Layout(
        name=raw["name"],
        valid_from=_date(raw.get("valid_from"), f"{where}.valid_from"),
        valid_until=_date(raw.get("valid_until"), f"{where}.valid_until"),
        listing=_listing(listing) if listing is not None else None,
        article=_article(article) if article is not None else None,
    )
    if layout.valid_from and layout.valid_until and layout.valid_until <= layout.valid_from:
        raise ValueError(f"{where}.valid_until: must be after valid_from")
    if layout.listing is None and layout.article is None:
        raise ValueError(f"{where}: a layout reads listing pages, article pages or both")
    return layout


def _listing(raw: dict[str, Any]) -> ListingSpec:
    fields = {key: compile_field(spec) for key, spec in raw.get("fields", {}).items()}
    return ListingSpec(
        format=raw["format"],
        detect=_sources(raw.get("detect")),
        cards=raw.get("cards"),
        fields=fields,
        next=compile_field(raw["next"]) if "next" in raw else None,
        page_template=raw.get("page_template"),
        first_page=raw.get("first_page", 1),
        page_number=compile_field(raw["page_number"]) if "page_number" in raw else None,
    )


def _article(raw: dict[str, Any]) -> ArticleSpec:
    fields = {key: compile_field(raw[key]) for key in ARTICLE_KEYS if key in raw}
    return ArticleSpec(
        detect=_sources(raw.get("detect")),
        scope=_sources(raw.get("scope")),
        fields=fields,
        body_exclude=tuple(raw.get("body_exclude", ())),
        figure=_sources(raw.get("figure")),
        decode_cfemail=raw.get("decode_cfemail", False),
    )


def _hooks(module_name: str | None, profile_path: Path) -> dict[str, Hook]:
    """The profile's hooks: ``hooks/NAME.py`` beside an operator's profile file, else
    the project's module ``newsroom_archive.profiles.hooks.NAME``."""
    if module_name is None:
        return {}
    beside = profile_path.parent / "hooks" / f"{module_name}.py"
    if beside.is_file() and profile_path.parent.resolve() != Path(__file__).parent.resolve():
        spec = importlib.util.spec_from_file_location(f"newsroom_hooks_{module_name}", beside)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        try:
            module = importlib.import_module(f"newsroom_archive.profiles.hooks.{module_name}")
        except ModuleNotFoundError:
            raise ValueError(f"hooks: no hooks module {module_name!r}") from None
    hooks = getattr(module, "HOOKS", None)
    if not isinstance(hooks, dict):
        raise ValueError(f"hooks: module {module_name!r} defines no HOOKS mapping")
    return dict(hooks)


def _check_hooks(layouts: tuple[Layout, ...], hooks: dict[str, Hook]) -> None:
    for layout in layouts:
        specs: list[tuple[str, Field]] = []
        if layout.listing:
            specs += [(f"listing.fields.{k}", f) for k, f in layout.listing.fields.items()]
            specs += [
                (f"listing.{k}", f)
                for k, f in (
                    ("next", layout.listing.next),
                    ("page_number", layout.listing.page_number),
                )
                if f is not None
            ]
        if layout.article:
            specs += [(f"article.{k}", f) for k, f in layout.article.fields.items()]
        for where, spec in specs:
            for step in spec.steps:
                if step.hook and step.hook not in hooks:
                    known = ", ".join(sorted(hooks)) or "none: set `hooks`"
                    raise ValueError(
                        f"layouts.{layout.name}.{where}: unknown hook {step.hook!r} "
                        f"(known: {known})"
                    )
