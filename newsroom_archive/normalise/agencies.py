"""The table of known photo agencies and organisations, read from CSV.

The packaged table is ``newsroom_archive/data/agencies.csv`` with the columns
``alias,canonical,kind``:

- ``alias``: a spelling seen in credits (matched case-insensitively, ignoring dots
  and repeated spaces: ``A.P.`` matches ``AP``);
- ``canonical``: the name the archive records for it;
- ``kind``: a label for codebooks. The packaged table uses ``wire`` (news
  agencies: AP, AFP, Anadolu), ``distributor`` (Getty Images), ``stock`` (photo
  libraries: Adobe Stock, iStock, Alamy), ``photo-agency`` (NurPhoto, SOPA Images,
  ZUMA), ``outlet`` (newspapers and other news outlets: Houston Chronicle, The New
  York Times), ``organisation`` (NGOs and international bodies: UNICEF, Greenpeace)
  and ``government``; extra files may use their own.

Every row is an organisation: a credit part found in the table is never read as a
photographer, and an unknown part beside known ones may be (see ``credits``).

Researchers extend the table without touching the package: pass extra CSV files
(``SourceRules.agency_files`` or ``load_agencies(extra_files=...)``) or list them in
the ``NEWSROOM_AGENCIES_CSV`` environment variable (separated by ``os.pathsep``).
Later files override earlier rows with the same alias.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["AGENCIES_ENV", "AgencyTable", "alias_key", "load_agencies"]

AGENCIES_ENV = "NEWSROOM_AGENCIES_CSV"
_PACKAGED = ("newsroom_archive", "data/agencies.csv")
_KEY_STRIP = re.compile(r"[.\u2019']")
_KEY_WS = re.compile(r"\s+")
# A lower-case letter directly followed by a capital: where a glued alias begins.
_GLUE_HINT = re.compile(r"[^\W\d_A-Z][A-Z]")


def alias_key(name: str) -> str:
    """The form aliases are compared in: case-folded, without dots, single-spaced."""
    return _KEY_WS.sub(" ", _KEY_STRIP.sub("", name.casefold())).strip()


@dataclass(frozen=True)
class AgencyTable:
    by_alias: dict[str, str]
    """alias_key(alias) → canonical name."""
    kinds: dict[str, str]
    """canonical name → kind."""
    glued: dict[str, str]
    """alias as written → canonical, for aliases that distributors glue onto the end
    of a photographer's name (``Valery SharifulinTASS``)."""
    glued_lengths: tuple[int, ...]
    """Lengths of the keys of ``glued``, longest first."""

    def canonical(self, name: str) -> str | None:
        return self.by_alias.get(alias_key(name))

    def kind_of(self, canonical: str) -> str | None:
        return self.kinds.get(canonical)

    def split_glued(self, token: str) -> tuple[str, str] | None:
        """``("Valery Sharifulin", "TASS")`` for ``Valery SharifulinTASS``, else None.

        Only an alias starting with a capital letter directly after a lower-case
        letter counts: that join never happens inside a name written normally.
        """
        if not _GLUE_HINT.search(token):
            return None
        for length in self.glued_lengths:
            if len(token) <= length:
                continue
            canonical = self.glued.get(token[-length:])
            if canonical is None:
                continue
            head = token[:-length]
            if head[-1].islower() and " " in head.strip():
                return head.strip(), canonical
        return None


def _read_rows(text: str, origin: str) -> Iterable[tuple[str, str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    fields = set(reader.fieldnames or ())
    if not {"alias", "canonical"} <= fields:
        raise ValueError(f"{origin}: agency table needs the columns alias,canonical,kind")
    for row in reader:
        alias = (row.get("alias") or "").strip()
        canonical = (row.get("canonical") or "").strip()
        if not alias or alias.startswith("#") or not canonical:
            continue
        yield alias, canonical, (row.get("kind") or "").strip()


@functools.cache
def _load(extra_files: tuple[str, ...]) -> AgencyTable:
    packaged = resources.files(_PACKAGED[0]).joinpath(_PACKAGED[1]).read_text("utf-8")
    sources = [(packaged, "agencies.csv")]
    sources += [(Path(p).read_text("utf-8"), p) for p in extra_files]
    by_alias: dict[str, str] = {}
    kinds: dict[str, str] = {}
    written: dict[str, str] = {}
    for text, origin in sources:
        for alias, canonical, kind in _read_rows(text, origin):
            by_alias[alias_key(alias)] = canonical
            if kind:
                kinds[canonical] = kind
            written[alias] = canonical
            written.setdefault(canonical, canonical)
    glued = {w: c for w, c in written.items() if w[:1].isupper()}
    lengths = tuple(sorted({len(w) for w in glued}, reverse=True))
    return AgencyTable(by_alias=by_alias, kinds=kinds, glued=glued, glued_lengths=lengths)


def load_agencies(extra_files: Iterable[str] = ()) -> AgencyTable:
    """The packaged table, then ``NEWSROOM_AGENCIES_CSV`` files, then ``extra_files``.

    Cached per set of files, so calling it per item costs a dictionary lookup.
    """
    env = os.environ.get(AGENCIES_ENV, "")
    from_env = tuple(p for p in env.split(os.pathsep) if p.strip())
    return _load(from_env + tuple(extra_files))
