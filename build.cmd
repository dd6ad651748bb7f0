:; set -eo pipefail
:; ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
:; "$ROOT/build.sh" "$@"
:; exit $?

@ECHO OFF
REM Releases are built on macOS; on Windows this only explains where to go.
ECHO msty-mlx-studio is released from macOS: run ./build.sh there (build.cmd forwards to it on Unix). 1>&2
EXIT /B 1
