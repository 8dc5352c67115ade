"""The fenced code blocks of the documents under docs/, which the tests run or parse."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
OPERATIONS = DOCS / "operations.md"


def fenced_blocks(doc: Path) -> list[tuple[str, str]]:
    """(info string, code) of every fenced code block that names a language, in order."""
    found: list[tuple[str, str]] = []
    lines = iter(doc.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if line.startswith("```") and len(line) > 3:
            code = "\n".join(iter(lambda: next(lines), "```")) + "\n"
            found.append((line[3:].strip(), code))
    return found


@dataclass(frozen=True)
class Block:
    lang: str
    name: str
    code: str


def operations_blocks() -> list[Block]:
    """docs/operations.md's blocks; the word after the language names the file shown."""
    found: list[Block] = []
    for info, code in fenced_blocks(OPERATIONS):
        lang, _, name = info.partition(" ")
        found.append(Block(lang, name.strip(), code))
    return found


def block(name: str) -> str:
    """The code of docs/operations.md's one block named `name`."""
    (found,) = [b.code for b in operations_blocks() if b.name == name]
    return found
