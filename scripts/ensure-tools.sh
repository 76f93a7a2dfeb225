#!/usr/bin/env bash
# The programs the tests drive for real: tmux (a real terminal for the TUI) and Neovim (a real LSP
# client). Installed from Debian's archive where they are missing and we are root with apt;
# otherwise exit 3 with one line saying what to install.
set -u
missing=()
command -v tmux >/dev/null || missing+=(tmux)
command -v nvim >/dev/null || missing+=(neovim)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "unstuck: the tests need ${missing[*]}; install them with your package manager and retry" >&2
  exit 3
fi
echo "unstuck: installing ${missing[*]} from Debian (once)…" >&2
{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
  >/tmp/unstuck-apt-tools.log 2>&1 \
  || { echo "unstuck: apt-get install ${missing[*]} failed (see /tmp/unstuck-apt-tools.log)" >&2; exit 3; }
