"""rtlgen llm stage."""
