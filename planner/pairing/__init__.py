"""CP-SAT pairing: variables, constraints (one ``add_*`` per rule), named objective levels.

Only this package (and other solver folders) import ortools.
"""

from planner.pairing.model import LEVELS, PairingResult, solve_pairing

__all__ = ["LEVELS", "PairingResult", "solve_pairing"]
