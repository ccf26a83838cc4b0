"""Dashboard for the office and leadership: on-time rate by unit, plan progress, burn-down."""
