"""The CSV writer's own quoting against the standard library's, and the formula guard."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from newsroom_archive.archive.export import csv_line, neutralise


@given(st.lists(st.text(), min_size=2, max_size=8))
def test_csv_line_is_what_the_csv_module_writes(cells: list[str]) -> None:
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerow(cells)
    assert csv_line(cells) == expected.getvalue()


@given(st.lists(st.text(), min_size=2, max_size=8))
def test_csv_line_reads_back_unchanged(cells: list[str]) -> None:
    (row,) = csv.reader(io.StringIO(csv_line(cells), newline=""))
    assert row == cells


@given(st.text())
def test_guarded_cells_never_start_a_formula(text: str) -> None:
    guarded = neutralise(text)
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert guarded in (text, "'" + text)
