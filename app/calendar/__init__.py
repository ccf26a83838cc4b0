"""The working-day calendar: admin overrides of public holidays and the office's report days."""
