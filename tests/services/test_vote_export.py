"""A vote's CSV export opens in a spreadsheet as typed: member text never becomes a formula."""

from __future__ import annotations

import csv
import io

from bot.services.votes.export import csv_text


def test_member_text_that_would_start_a_formula_is_shown_as_typed() -> None:
    rows = [
        ["option", "label", "count"],
        [1, '=HYPERLINK("http://evil.example","Tactics")', 3],
        [2, "+1 more", 0],
        [3, "-2", 1],
        [4, "@SUM(A1:A2)", 2],
        [5, "History", -1],
    ]
    read = list(csv.reader(io.StringIO(csv_text(rows))))
    assert read[1][1] == '\'=HYPERLINK("http://evil.example","Tactics")'
    assert [row[1] for row in read[2:]] == ["'+1 more", "'-2", "'@SUM(A1:A2)", "History"]
    assert read[5][2] == "-1"  # the bot's own numbers stay numbers
