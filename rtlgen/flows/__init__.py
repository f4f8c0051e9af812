"""rtlgen flows stage."""
