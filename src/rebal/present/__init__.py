"""How rebal presents things to people and to other programs: one vocabulary for the
CLI and the app.

- `figures`: the words and figures' formats (money, percent, points, shares,
  status words, band text). Pure; the planner's reasons and the import
  description use it too, so it stands on `rebal.core.numbers` and `terminal`
  alone (the import contracts in pyproject.toml and their test).
- `rows`: a class's row as strings, for `rebal check` and the app's tables.
- `plan_words`: a plan's answers in words (the new-money sentence).
- `blocks`: the CLI's text as data (paragraphs and titled tables of strings),
  which rebal.commands lays out as plain lines for a pipe or rich tables on a
  terminal; `report_text` (`rebal check`), `review_text` (the money-weighted
  return and the saved plan's progress), `plan_text` (`rebal plan`) and `tax`
  build it.
- `plan_summary`: a plan's summary (skipped, cash left, drift left) and step 4's
  status lines, with the titles `rebal plan` gives its tables.
- `terminal`: text made safe for a terminal.
- `csv`: the plan as CSV.
- `styled`: rich `Text` builders; the one module here that imports rich, for
  rebal.commands and rebal.tui only.

Nothing here reads files or imports Textual.
"""
