#!/usr/bin/env bash
# Make sure a Docker engine answers. Where none does and we are root with apt, install docker.io
# and start dockerd in the background (log: $UNSTUCK_DOCKERD_LOG). Exit 3 with one line otherwise.
set -u
log=${UNSTUCK_DOCKERD_LOG:-/tmp/unstuck-dockerd.log}

answers() { timeout 10 docker info >/dev/null 2>&1; }

answers && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "unstuck: no Docker engine answers and this user cannot install one (need root and apt); start Docker and retry" >&2
  exit 3
fi

if ! command -v dockerd >/dev/null; then
  echo "unstuck: installing docker.io from Debian (once)…" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io; } >/tmp/unstuck-apt.log 2>&1 \
    || { echo "unstuck: apt-get install docker.io failed (see /tmp/unstuck-apt.log)" >&2; exit 3; }
fi

if ! pgrep -x dockerd >/dev/null; then
  echo "unstuck: starting dockerd in the background (log: $log)" >&2
  # No bridge and no iptables: sandboxes run with network_mode=none, and these hosts forbid both.
  setsid nohup dockerd --iptables=false --ip6tables=false --bridge=none >"$log" 2>&1 < /dev/null &
fi

for _ in $(seq 1 60); do
  answers && exit 0
  sleep 1
done
echo "unstuck: dockerd did not answer within 60 s (see $log)" >&2
exit 3
