.PHONY: setup setup-llm test test-slow test-all
setup:
	./setup.sh
# both local models (0.5B ~0.5 GB, 1.5B ~1.1 GB) into ~/.cache/rtlgen/models; make setup installs the 1.5B one
setup-llm:
	.venv/bin/python -m pip install -q -e '.[local-llm]'
	.venv/bin/rtlgen llm install --model 0.5b --model 1.5b
test:
	.venv/bin/python -m pytest -n 2 -m "not slow"
test-slow:
	.venv/bin/python -m pytest -n 2 -m slow
test-all:
	.venv/bin/python -m pytest -n 2
