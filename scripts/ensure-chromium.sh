#!/bin/sh
# Makes sure a Chromium for the browser tests and benchmarks exists at /usr/bin/chromium (Debian's
# package). Idempotent: does nothing when it is already installed. Installing needs root (apt-get);
# without it the script says what to run and fails, so the test command stops with a clear reason.
set -eu

CHROMIUM=${MODHOST_CHROMIUM:-/usr/bin/chromium}

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing; install it as root: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi

echo "ensure-chromium: installing chromium with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chromium

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
