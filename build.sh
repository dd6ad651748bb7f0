#!/usr/bin/env bash
# Runs the NUKE build (build/_build.csproj) with the given arguments, e.g. ./build.sh Release --skip-notarize.
# Uses an installed .NET SDK when it satisfies global.json, otherwise installs one into .nuke/temp.
set -eo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_PROJECT_FILE="$ROOT/build/_build.csproj"
TEMP_DIRECTORY="$ROOT/.nuke/temp"
DOTNET_INSTALL_URL="https://dot.net/v1/dotnet-install.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# `dotnet --version` run from the root resolves global.json and fails when no installed SDK matches it.
if command -v dotnet >/dev/null 2>&1 && (cd "$ROOT" && dotnet --version) >/dev/null 2>&1; then
    DOTNET_EXE=$(command -v dotnet)
else
    DOTNET_DIRECTORY="$TEMP_DIRECTORY/dotnet-unix"
    DOTNET_EXE="$DOTNET_DIRECTORY/dotnet"
    if ! { [ -x "$DOTNET_EXE" ] && (cd "$ROOT" && "$DOTNET_EXE" --version) >/dev/null 2>&1; }; then
        echo "No .NET SDK matching global.json found; installing one into $DOTNET_DIRECTORY"
        mkdir -p "$TEMP_DIRECTORY"
        curl -fsSL --retry 3 -o "$TEMP_DIRECTORY/dotnet-install.sh" "$DOTNET_INSTALL_URL"
        bash "$TEMP_DIRECTORY/dotnet-install.sh" --jsonfile "$ROOT/global.json" --install-dir "$DOTNET_DIRECTORY" --no-path
    fi
    export DOTNET_ROOT="$DOTNET_DIRECTORY"
    export PATH="$DOTNET_DIRECTORY:$PATH"
fi

echo "Using .NET SDK $(cd "$ROOT" && "$DOTNET_EXE" --version) ($DOTNET_EXE)"

"$DOTNET_EXE" build "$BUILD_PROJECT_FILE" /nodeReuse:false /p:UseSharedCompilation=false -nologo -clp:NoSummary --verbosity quiet
"$DOTNET_EXE" run --project "$BUILD_PROJECT_FILE" --no-build -- "$@"
