"""Tax-aware figures for a plan (docs/planner.md, "Tax"): pure, exact, no I/O.

treatment: an account's tax treatment; lots: holding periods and lot selection;
gains: netting and the estimate; wash: possible wash sales; harvest: loss lots
worth harvesting; location: where each class lives against the preference.
"""
