"""Reports flowing up to the province (issue 10, item 4): an agency sends its issued report,
the province office tracks who reported, reminds, returns or accepts, and consolidates."""
