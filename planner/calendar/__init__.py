"""Calendar for the scheduler: working days (official Chinese calendar, overrides, estimate)."""
