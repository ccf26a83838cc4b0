"""Civil servants' monthly/quarterly results computed from the recorded work (issue 15)."""
