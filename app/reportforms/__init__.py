"""Report forms as versioned data: the shipped definitions (forms/*.json) and their records."""
