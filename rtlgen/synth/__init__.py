"""rtlgen synth stage."""
