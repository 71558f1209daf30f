#!/usr/bin/env bash
# Installs the EDA tools antgen drives: Verilator, Icarus Verilog and Yosys, from
# Debian's packages, and FuseSoC from PyPI. Idempotent: does nothing when they are already installed.
# Needs root (apt-get). Without root it prints the command to run and fails.
set -euo pipefail

with_nextpnr=0
[ "${1:-}" = "--with-nextpnr" ] && with_nextpnr=1

missing=()
for tool in verilator:verilator iverilog:iverilog vvp:iverilog yosys:yosys python3:python3; do
  exe=${tool%%:*}; pkg=${tool##*:}
  if command -v "$exe" >/dev/null 2>&1; then
    echo "bootstrap: $exe found ($(command -v "$exe"))"
  else
    echo "bootstrap: $exe missing (Debian package $pkg)"
    [[ " ${missing[*]:-} " == *" $pkg "* ]] || missing+=("$pkg")
  fi
done

if ! command -v swift >/dev/null 2>&1; then
  echo "bootstrap: error: swift not found; install the Swift 6 toolchain (https://www.swift.org/install/linux/)" >&2
  exit 1
fi

# Optional: nextpnr-ice40, for the place-and-route frequency estimate of `antgen synth`
# (--fmax, used by `make cost-report`). Only with --with-nextpnr; never fails the bootstrap.
optional_nextpnr() {
  [ "$with_nextpnr" -eq 1 ] || return 0
  if command -v nextpnr-ice40 >/dev/null 2>&1; then
    echo "bootstrap: nextpnr-ice40 found ($(command -v nextpnr-ice40))"
  elif [ "$(id -u)" -eq 0 ]; then
    echo "bootstrap: nextpnr-ice40 missing (optional); apt-get install -y nextpnr-ice40"
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nextpnr-ice40; } >/dev/null 2>&1 \
      || echo "bootstrap: nextpnr-ice40 not installed (optional: antgen synth runs without --fmax)"
  else
    echo "bootstrap: nextpnr-ice40 missing (optional, for --fmax): sudo apt-get install -y nextpnr-ice40"
  fi
}

# FuseSoC (PyPI fusesoc, with Edalize), which reads and lints the <top>.core that
# `antgen emit` writes (its test in make test). pip with a 5-minute timeout; a failed
# install is reported and the FuseSoC test then skips with the reason.
ensure_fusesoc() {
  if command -v fusesoc >/dev/null 2>&1; then
    echo "bootstrap: fusesoc found ($(command -v fusesoc))"
    return 0
  fi
  echo "bootstrap: fusesoc missing; python3 -m pip install fusesoc"
  if timeout 300 python3 -m pip install --quiet --disable-pip-version-check fusesoc >/dev/null 2>&1 \
     && command -v fusesoc >/dev/null 2>&1; then
    echo "bootstrap: installed fusesoc $(fusesoc --version 2>/dev/null)"
  else
    echo "bootstrap: warning: could not install fusesoc (pip install fusesoc failed or it is not on PATH); the FuseSoC core test will skip" >&2
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all tools present"
  ensure_fusesoc
  optional_nextpnr
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "bootstrap: error: not root; install the missing tools with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "bootstrap: apt-get install -y ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
for pkg in "${missing[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || { echo "bootstrap: error: $pkg did not install" >&2; exit 1; }
done
echo "bootstrap: installed ${missing[*]}"
verilator --version
yosys -V
ensure_fusesoc
optional_nextpnr
