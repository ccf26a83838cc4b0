"""Documents built from service results (no queries inside)."""
