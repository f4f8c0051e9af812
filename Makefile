.PHONY: setup test test-slow test-all
setup:
	./setup.sh
test:
	.venv/bin/python -m pytest -n 2 -m "not slow"
test-slow:
	.venv/bin/python -m pytest -n 2 -m slow
test-all:
	.venv/bin/python -m pytest -n 2
