"""rtlgen report stage."""
