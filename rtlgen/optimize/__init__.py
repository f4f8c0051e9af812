"""Optimization: rules store and retrieval, template rewrites, the FSM optimizer, the equivalence gate."""
