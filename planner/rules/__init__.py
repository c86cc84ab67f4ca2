"""The rules without solvers: independent validators, precheck and diagnosis, scoring, reasons,
and the contact windows the schedule must fill. Imports neither ortools nor file I/O."""
