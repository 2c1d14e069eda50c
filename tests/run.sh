#!/usr/bin/env bash
# Every test of Beacon, on a fresh Debian machine as on an equipped one:
# installs only what is missing (and says nothing about what is there), then
# runs each suite; exits non-zero when any install or any suite fails.
#
#   tests/run.sh              # what the README's second command and .ci/run run
#   tests/run.sh --no-install # only the suites
#
# One line adds a Debian package (APT) or a suite (SUITES).
set -euo pipefail
cd "$(dirname "$0")/.."

# "package|shell test that succeeds when it is already there"
APT=(
  "chromium|command -v chromium"
  "chromium-driver|command -v chromedriver"
  "nodejs|command -v node"
  "npm|command -v npm"
  "python3|command -v python3"
  "python3-venv|python3 -c 'import venv, ensurepip'"
  "postgresql|ls /usr/lib/postgresql/*/bin/initdb"
  "strace|command -v strace"
)

# Each suite is one shell command, run from the repository root.
SUITES=(
  "cargo test --locked"
)

say() { printf '== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_apt() {
  local missing=() entry
  for entry in "${APT[@]}"; do
    bash -c "${entry#*|}" >/dev/null 2>&1 || missing+=("${entry%%|*}")
  done
  [ "${#missing[@]}" -eq 0 ] && return
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# tests/browser: playwright-core and axe-core from the lock file, again
# only when the lock file changed since the last install.
install_npm() {
  local dir=tests/browser stamp=tests/browser/node_modules/.installed-lock
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then
    return
  fi
  say "npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$dir/package-lock.json" "$stamp"
}

# The feed tests run `python3` with feedparser, the e-mail tests with
# aiosmtpd; when the system's python3 lacks one, a virtual environment in the
# target directory provides both.
install_pip() {
  local target="${CARGO_TARGET_DIR:-target}" venv
  mkdir -p "$target"
  venv="$(cd "$target" && pwd)/test-venv"
  if [ -x "$venv/bin/python3" ]; then export PATH="$venv/bin:$PATH"; fi
  if python3 -c 'import feedparser, aiosmtpd' >/dev/null 2>&1; then return; fi
  say "pip install -r tests/feeds/requirements.txt -r tests/smtp/requirements.txt into $venv"
  if [ ! -x "$venv/bin/python3" ]; then python3 -m venv "$venv"; fi
  "$venv/bin/python3" -m pip install -q --disable-pip-version-check \
    -r tests/feeds/requirements.txt -r tests/smtp/requirements.txt
  export PATH="$venv/bin:$PATH"
}

if [ "${1:-}" != "--no-install" ]; then
  install_apt
  install_npm
  install_pip
fi

failed=()
for suite in "${SUITES[@]}"; do
  say "$suite"
  bash -c "$suite" || failed+=("$suite")
done
if [ "${#failed[@]}" -gt 0 ]; then
  say "FAILED: ${failed[*]}"
  exit 1
fi
