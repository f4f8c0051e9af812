"""rtlgen optimize stage."""
