"""Pairing solvers: min-cost flow (numpy arrays, any size) and CP-SAT (small colleges),
variables, constraints (one ``add_*`` per rule), named objective levels.

Only this package (and other solver folders) import ortools.
"""

from planner.pairing.model import LEVELS, PairingResult, solve_pairing
from planner.rules.scoring import level_order

__all__ = ["LEVELS", "PairingResult", "level_order", "solve_pairing"]
