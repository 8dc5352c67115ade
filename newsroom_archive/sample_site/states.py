"""A sample newsroom's history: its articles, the states it passes through, and what each
state lists, on which page and where. Every sample newsroom keeps its answer key this way.

A state is ``base`` plus the ``Mutation`` rows of its ``State``: an article added on top,
a field edited (with what follows from it), an article deleted (404), re-rendered in other
markup with the same content, dropped from the listing while its page still answers, or
the listing redesigned. Listing order is newest first, ``cards_per_page`` cards a page.
"""

from __future__ import annotations

import copy
import dataclasses
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, ClassVar, Generic, Literal, Protocol, TypeVar

Action = Literal["add", "edit", "delete", "cosmetic", "unlist", "redesign"]
CardStyle = Literal["current", "drift", "news-card-2019"]
"""How listing cards are marked up: today's block theme, a redesign no reader knows, or
the 2019–2021 theme (``article.news-card``) that the newsroom's archived captures show."""


class Spec(Protocol):
    """What the state machinery needs of an article of the answer key (a frozen
    dataclass with these fields)."""

    @property
    def slug(self) -> str: ...
    @property
    def published(self) -> datetime: ...
    @property
    def modified(self) -> datetime: ...


S = TypeVar("S", bound=Spec)


def one_line(block: str) -> str:
    """A text block of the content written over several source lines, as one line."""
    return " ".join(block.split())


def paragraphs(block: str) -> tuple[str, ...]:
    """A text block whose paragraphs are separated by blank lines, as paragraphs."""
    return tuple(one_line(p) for p in textwrap.dedent(block).strip().split("\n\n"))


@dataclass(frozen=True, kw_only=True)
class SampleArticle:
    """What every sample newsroom's articles have, shown and in the answer key; each
    newsroom's own spec adds what its pages show besides."""

    teaser_cut_words: ClassVar[int] = 40
    """A cut teaser shows this many words of ``teaser_full`` and then ``…``."""

    slug: str
    title: str
    published: datetime
    modified: datetime
    teaser_full: str
    teaser_cut: bool = False
    body: tuple[str, ...]
    """Paragraphs as plain text."""
    image: str | None = None
    """Root-relative URL of the article's image."""
    image_alt: str | None = None
    caption: str | None = None
    credit: str | None = None
    photographers: list[str] = dataclasses.field(default_factory=list)
    photo_agencies: list[str] = dataclasses.field(default_factory=list)
    page: int | None = None
    """Listing page the card is on in the state asked for (1-based, as the crawl counts);
    None when not listed."""
    position: int | None = None
    """1-based position of the card on that page."""

    @property
    def listing_teaser(self) -> str:
        if not self.teaser_cut:
            return self.teaser_full
        words = self.teaser_full.split()[: self.teaser_cut_words]
        return " ".join(words).rstrip(",;:") + "…"

    @property
    def published_date(self) -> str:
        """Publication day in the newsroom's own zone, which is what its pages show."""
        return self.published.date().isoformat()

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.body)


class Located(Protocol):
    @property
    def path(self) -> str:
        """The article's root-relative path on the sample newsroom."""
        ...


def article_url(base_url: str, spec: Located) -> str:
    return base_url.rstrip("/") + spec.path


@dataclass(frozen=True)
class Mutation:
    """One change a state makes to ``base``.

    ``field``/``old``/``new`` name the headline change (for ``body`` the paragraphs joined
    by a blank line); ``sets`` holds every spec field the change sets, including what
    follows from it (photographers of an edited credit, the new ``modified``).
    """

    action: Action
    slug: str | None = None
    field: str | None = None
    old: str | None = None
    new: str | None = None
    sets: Mapping[str, object] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class State:
    name: str
    description: str
    mutations: tuple[Mutation, ...] = ()
    card_style: CardStyle = "current"
    touched: datetime | None = None
    """When the listing changed without any article changing (a redesign, an unlisting)."""
    as_of: datetime | None = None
    """The newsroom as it was at this moment (an archived capture of its past): articles
    published later are not there yet."""


def edit(
    articles: Mapping[str, Any],
    slug: str,
    field_name: str,
    new: object,
    when: datetime,
    **also: object,
) -> Mutation:
    """An edit of one field of an article, modified at ``when``; ``also`` sets what
    follows from it."""
    old = getattr(articles[slug], field_name)
    as_text = (lambda v: "\n\n".join(v)) if field_name == "body" else (lambda v: v)
    return Mutation(
        "edit",
        slug,
        field_name,
        as_text(old),
        as_text(new),
        {field_name: new, "modified": when, **also},
    )


ALIASES = {"1": "base", "2": "edited"}
"""``1`` and ``2``: the newsroom as first seen and a day later, as the demo shows them."""


def change_states(
    *,
    add: Mutation,
    title: Mutation,
    credit: Mutation,
    body: Mutation,
    teaser: Mutation,
    delete: Mutation,
    cosmetic: Mutation,
    unlist: Mutation,
    listing_changed: datetime,
) -> dict[str, State]:
    """The states every sample newsroom passes through: those the change-detection tests
    crawl, from the given changes. ``teaser`` edits a card of page 1 and ``body`` an
    article of page 3, so that an incremental run sees the one and not the other."""
    return {
        s.name: s
        for s in (
            State("base", "the initial site"),
            State(
                "edited",
                "a new article on top; a title, a photo credit, a body and a teaser edited; "
                "one article deleted (404); one re-rendered with cosmetic differences only",
                (add, title, credit, body, teaser, delete, cosmetic),
            ),
            State("added", "base plus one new article at the top", (add,)),
            State("teaser-page1", "base with the teaser of a page-1 card edited", (teaser,)),
            State("edit-page3", "base with the body of a page-3 article edited", (body,)),
            State(
                "drift",
                "base content in a redesigned card markup that the newsroom's reader does not know",
                (Mutation("redesign"),),
                card_style="drift",
                touched=listing_changed,
            ),
            State(
                "removed-listed",
                "base with one article dropped from the listing; its page still answers 200",
                (unlist,),
                touched=listing_changed,
            ),
        )
    }


@dataclass(frozen=True)
class StateContent(Generic[S]):
    name: str
    listed: tuple[S, ...]
    """Listed articles, newest first, with ``page`` and ``position`` set."""
    unlisted: tuple[S, ...]
    """Articles whose page answers 200 but that no listing shows."""
    cosmetic: frozenset[str]
    card_style: CardStyle
    listing_modified: datetime
    """Last-Modified of listing pages: the newest article change, or the listing's own."""
    cards_per_page: int

    @property
    def served(self) -> tuple[S, ...]:
        return self.listed + self.unlisted

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.listed) // self.cards_per_page))

    def page(self, number: int) -> list[S]:
        """The cards of listing page ``number`` (1-based)."""
        return [a for a in self.listed if getattr(a, "page", None) == number]


@dataclass(frozen=True)
class Timeline(Generic[S]):
    """A sample newsroom's articles and states: ``content(state)`` is what the state
    publishes, and the answer key for it."""

    articles: tuple[S, ...]
    new_article: S
    """The article the ``add`` mutation publishes at the top of the newsroom."""
    states: dict[str, State]
    aliases: dict[str, str]
    cards_per_page: int
    _cache: dict[str, StateContent[S]] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def by_slug(self) -> dict[str, S]:
        return {a.slug: a for a in self.articles}

    @property
    def edits(self) -> dict[str, tuple[Mutation, ...]]:
        return {name: s.mutations for name, s in self.states.items()}

    def resolve(self, name: str) -> str:
        """Canonical state name for a name or alias; KeyError for an unknown one."""
        canonical = self.aliases.get(name, name)
        if canonical not in self.states:
            known = ", ".join([*self.states, *self.aliases])
            raise KeyError(f"unknown sample-site state {name!r} (known: {known})")
        return canonical

    def content(self, state: str) -> StateContent[S]:
        name = self.resolve(state)
        cached = self._cache.get(name)
        if cached is None:
            cached = self._cache[name] = self._build(self.states[name])
        return cached

    def _build(self, spec: State) -> StateContent[S]:
        articles = self.by_slug
        hidden: set[str] = set()
        for m in spec.mutations:
            if m.action == "add":
                articles[self.new_article.slug] = self.new_article
            elif m.action == "edit" and m.slug:
                articles[m.slug] = replace(articles[m.slug], **m.sets)  # type: ignore[type-var]
            elif m.action == "delete" and m.slug:
                del articles[m.slug]
            elif m.action == "unlist" and m.slug:
                hidden.add(m.slug)
        if spec.as_of is not None:
            moment = spec.as_of
            articles = {k: a for k, a in articles.items() if a.published <= moment}
        ordered = sorted(articles.values(), key=lambda a: a.published, reverse=True)
        shown = [a for a in ordered if a.slug not in hidden]
        per_page = self.cards_per_page
        listed = tuple(
            replace(a, page=i // per_page + 1, position=i % per_page + 1)  # type: ignore[type-var]
            for i, a in enumerate(shown)
        )
        newest = max(a.modified for a in articles.values())
        return StateContent(
            name=spec.name,
            listed=listed,
            unlisted=tuple(a for a in ordered if a.slug in hidden),
            cosmetic=frozenset(m.slug for m in spec.mutations if m.action == "cosmetic" and m.slug),
            card_style=spec.card_style,
            listing_modified=max(newest, spec.touched) if spec.touched else newest,
            cards_per_page=per_page,
        )

    def expected(self, state: str = "base") -> list[S]:
        """The listed articles of a state in listing order, each with its page and position."""
        return copy.deepcopy(list(self.content(state).listed))

    def unlisted(self, state: str = "base") -> list[S]:
        """Articles a state serves (200) without listing them."""
        return copy.deepcopy(list(self.content(state).unlisted))


# --- wall times ----------------------------------------------------------------------------
# Offsets computed from the rules, so the content does not depend on a tz database.


def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7, weeks=n - 1)


def _last_sunday(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def ny_time(stamp: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` New York wall time, with its -05:00 or -04:00 offset.

    US daylight time (2007 rules) runs from the second Sunday of March to the first
    Sunday of November.
    """
    naive = datetime.strptime(stamp, "%Y-%m-%d %H:%M")
    start = datetime.combine(_nth_sunday(naive.year, 3, 2), time(2))
    end = datetime.combine(_nth_sunday(naive.year, 11, 1), time(1))
    hours = -4 if start <= naive < end else -5
    return naive.replace(tzinfo=timezone(timedelta(hours=hours)))


def berlin_time(stamp: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` Berlin wall time, with its +01:00 or +02:00 offset.

    EU summer time runs from 02:00 on the last Sunday of March to 03:00 on the last
    Sunday of October (local times; the hour that repeats is read as summer time).
    """
    naive = datetime.strptime(stamp, "%Y-%m-%d %H:%M")
    start = datetime.combine(_last_sunday(naive.year, 3), time(2))
    end = datetime.combine(_last_sunday(naive.year, 10), time(3))
    hours = 2 if start <= naive < end else 1
    return naive.replace(tzinfo=timezone(timedelta(hours=hours)))
