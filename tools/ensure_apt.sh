#!/usr/bin/env bash
# Make sure Debian packages are installed: ensure_apt.sh NAME FILE=PACKAGE [FILE=PACKAGE …]
#
# Each FILE is what the project needs and PACKAGE the Debian package that provides it.
# Idempotent: when every FILE is present this prints one line and exits at once. Otherwise it
# runs `apt-get update` once and installs the packages (as root, or with passwordless sudo).
set -euo pipefail

name=$1
shift
files=()
packages=()
for pair in "$@"; do
  files+=("${pair%%=*}")
  packages+=("${pair#*=}")
done

have_everything() {
  local file
  for file in "${files[@]}"; do
    [[ -e "$file" ]] || return 1
  done
}

if have_everything; then
  echo "$name: ${packages[*]} already installed"
  exit 0
fi

fail() {
  echo "$name: ERROR: $*" >&2
  echo "$name: install them with: apt-get update &&" \
    "apt-get install -y --no-install-recommends ${packages[*]}" >&2
  exit 1
}

if ! command -v apt-get >/dev/null 2>&1; then
  fail "apt-get not found: this script only knows how to install on Debian"
fi

if [[ "$(id -u)" -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail "not running as root and passwordless sudo is not available"
fi

echo "$name: installing ${packages[*]} with apt-get"
"${as_root[@]}" apt-get update || fail "apt-get update failed"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${packages[@]}" \
  || fail "apt-get install ${packages[*]} failed"
have_everything || fail "installed, but one of ${files[*]} is still missing"
echo "$name: installed ${packages[*]}"
