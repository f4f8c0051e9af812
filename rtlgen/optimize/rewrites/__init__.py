"""Template rewrite implementations (one function per ``template`` rule); see ``rtlgen.optimize.templates``."""
