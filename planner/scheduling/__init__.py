"""The calendar solver: candidate days per item and one small CP-SAT model per component.

With :mod:`planner.pairing`, the only package that imports ortools."""
