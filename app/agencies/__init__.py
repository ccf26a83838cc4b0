"""Agencies of the province: their records, mergers (units moved with their history)."""
