"""rtlgen generate stage."""
