#!/bin/sh
# Makes sure `node` on PATH (with TOOLS/bin first) is a Node.js the CDK's jsii runtime supports.
# The machine's is used when recent enough; otherwise the pinned build comes from the npm registry
# into TOOLS/node and is linked as TOOLS/bin/node. Usage: node.sh TOOLS_DIR NODE_VERSION
set -eu
tools=$1
pin=$2
min=${pin%%.*}
PATH="$tools/bin:$PATH"

major=0
if command -v node >/dev/null 2>&1; then
    major=$(node --version | sed 's/^v\([0-9]*\).*/\1/')
fi
if [ "$major" -ge "$min" ]; then
    echo "node $(node --version): fine for the CDK"
    exit 0
fi
echo "node ${major:+v$major }is older than $min, which the CDK (jsii) needs: installing node $pin from the npm registry"
if ! command -v npm >/dev/null 2>&1; then
    echo "error: Node.js >= $min is required for the AWS CDK and npm is not there to fetch it." >&2
    echo "       Install Node.js $min or newer (Debian: apt-get install nodejs npm) and retry." >&2
    exit 1
fi
case "$(uname -m)" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) echo "error: no Node.js package for $(uname -m); install Node.js >= $min yourself" >&2; exit 1 ;;
esac
mkdir -p "$tools/bin" "$tools/node"
npm install --prefix "$tools/node" --no-save --no-audit --no-fund --loglevel=error "node-linux-$arch@$pin"
ln -sf "$(cd "$tools/node" && pwd)/node_modules/node-linux-$arch/bin/node" "$tools/bin/node"
echo "node $("$tools/bin/node" --version) installed in $tools"
