#!/usr/bin/env bash
# Installs the Debian packages that the test harness needs: Chromium for the workbench, ripgrep
# for code-server's search, and the compilers and Kerberos headers that code-server's native
# modules are built with, and a CJK font so that screenshots show Chinese names. Installs nothing when all of them are present already.
set -euo pipefail

packages=(chromium ripgrep libkrb5-dev build-essential python3 fonts-wqy-microhei)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "Debian packages already installed: ${packages[*]}"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed: ${missing[*]}"
