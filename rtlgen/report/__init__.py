"""Reports of suite runs: tables (pandas), self-contained HTML with plots."""
