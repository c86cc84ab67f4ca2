"""Working days: the official Chinese calendar (调休 included), overrides, estimates, and the 校历."""
