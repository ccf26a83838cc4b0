"""Province dashboard: agencies ranked side by side, drill-down where the viewer may look."""
