"""Deadlines on tasks: recurring instances, stages, lateness in working days, explanations."""
