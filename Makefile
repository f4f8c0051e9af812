.PHONY: setup test test-all
setup:
	./setup.sh
test:
	.venv/bin/python -m pytest -n 2 -m "not slow"
test-all:
	.venv/bin/python -m pytest -n 2
