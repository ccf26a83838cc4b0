"""Plan import: the office pastes or uploads a plan's appendix table, previews, confirms."""
