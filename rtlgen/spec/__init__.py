"""Specs: parse and validate spec.md, read interfaces from RTL; suite loaders turn benchmarks into Specs."""
from rtlgen.spec.model import Candidate, Clock, Port, Reset, Spec
from rtlgen.spec.parse import load_spec, parse_spec_text

__all__ = ["Candidate", "Clock", "Port", "Reset", "Spec", "load_spec", "parse_spec_text"]
