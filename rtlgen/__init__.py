"""rtlgen: a verified spec-to-RTL pipeline (generate, verify, synthesize, optimize)."""
__version__ = "0.1.0"
