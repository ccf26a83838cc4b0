"""Reminders: the daily digest of tasks due soon and overdue (`flask remind`, run by cron)."""
