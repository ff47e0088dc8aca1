"""How rebal presents things to people and to other programs: one vocabulary for the
CLI and the app.

- `figures`: the words and figures' formats (money, percent, points, shares,
  status words, band text). Pure; the planner's reasons and the import
  description use it too, so it stands on `rebal.core.numbers` and `terminal`
  alone (the import contracts in pyproject.toml and their test).
- `rows`: a class's row as strings, for `rebal check` and the app's tables.
- `plan_words`: a plan's answers in words (the new-money sentence).
- `plan_summary`: a plan's summary (skipped, cash left, drift left) and step 4's
  status lines, with the titles `rebal plan` gives its tables.
- `terminal`: text made safe for a terminal.
- `csv`: the plan as CSV.
- `styled`: rich `Text` builders; the one module here that imports rich, for
  rebal.commands and rebal.tui only.

Nothing here reads files or imports Textual.
"""
