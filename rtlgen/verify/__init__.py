"""Verification: lint, auto-generated cocotb testbenches, formal equivalence, official testbenches."""
