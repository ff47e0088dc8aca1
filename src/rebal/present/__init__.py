"""How rebal presents things to people and to other programs: terminal text and CSV.

The layer between the calculation (`rebal.core`) and the front ends
(`rebal.commands`, `rebal.tui`): it never reads files and never imports Textual.
"""
