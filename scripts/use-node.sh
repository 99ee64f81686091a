# Source this file (`source scripts/use-node.sh`) to get a Node.js the project can run on.
# gongkai needs Node >= 22.17 (24 LTS is the target). When the machine's node is older, Node 24
# is installed from the npm registry (package node-<platform>-<arch>) into .tools/ and put
# first on PATH for this shell. Nothing outside the project directory is changed.
_gongkai_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_gongkai_node_version="24.9.0"

_gongkai_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=17)?0:1)'
}

if ! _gongkai_node_ok; then
  _gongkai_pkg="node-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
  _gongkai_bin="$_gongkai_root/.tools/node_modules/$_gongkai_pkg/bin"
  if [ ! -x "$_gongkai_bin/node" ]; then
    echo "gongkai: node $(node --version 2>/dev/null || echo 'none') is older than 22.17; installing $_gongkai_pkg@$_gongkai_node_version into .tools/" >&2
    mkdir -p "$_gongkai_root/.tools"
    npm install --prefix "$_gongkai_root/.tools" --no-save --no-package-lock --no-audit --no-fund \
      "$_gongkai_pkg@$_gongkai_node_version" >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$_gongkai_bin:$PATH"
fi
echo "gongkai: using node $(node --version) ($(command -v node))" >&2
unset -f _gongkai_node_ok
unset _gongkai_root _gongkai_node_version _gongkai_pkg _gongkai_bin
