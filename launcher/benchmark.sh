#!/usr/bin/env bash
# Launcher overhead, measured against its baseline in the same run:
#   - launcher + a no-op child vs the same child started directly (target: < 1 ms per start)
#   - the launcher's resident memory while its child runs (target: < 2 MB)
#   - the launcher's binary size
# Usage: bash launcher/benchmark.sh [RUNS]   (CC selects the compiler, default cc)
set -euo pipefail

runs=${1:-1000}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null || true; rm -rf "$work"' EXIT

cc=${CC:-cc}
"$cc" -std=c11 -O2 -Wall -Wextra -Werror -o "$work/msty-mlx-studio" "$here/launcher.c"
printf 'int main(void) { return 0; }\n' > "$work/noop.c"
"$cc" -O2 -o "$work/noop" "$work/noop.c"
printf '#include <unistd.h>\nint main(void) { char c; return (int)read(0, &c, 1); }\n' > "$work/waiter.c"
"$cc" -O2 -o "$work/waiter" "$work/waiter.c"

now() { date +%s%N; }

time_runs() {
    local start end
    start=$(now)
    for ((i = 0; i < runs; i++)); do "$@"; done
    end=$(now)
    echo $(( (end - start) / runs ))
}

# Warm the page cache, then measure both loops the same way.
time_runs "$work/noop" >/dev/null
child_ns=$(time_runs "$work/noop")
launcher_ns=$(MLXK_PYTHON="$work/noop" time_runs "$work/msty-mlx-studio")

mkfifo "$work/gate"
MLXK_PYTHON="$work/waiter" "$work/msty-mlx-studio" < "$work/gate" &
launcher_pid=$!
exec 3>"$work/gate"
while [ -z "$(pgrep -P "$launcher_pid" 2>/dev/null)" ]; do :; done
rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$launcher_pid/status")
exec 3>&-
wait "$launcher_pid" || true

size=$(stat -c %s "$work/msty-mlx-studio")
overhead_ns=$(( launcher_ns - child_ns ))

awk -v l="$launcher_ns" -v c="$child_ns" -v o="$overhead_ns" -v r="$runs" 'BEGIN {
    printf "start, launcher + child:  %.3f ms (mean of %d)\n", l / 1e6, r
    printf "start, child alone:       %.3f ms (baseline)\n", c / 1e6
    printf "launcher overhead:        %.3f ms per start (%.2fx the baseline; target < 1 ms)\n", o / 1e6, l / c
}'
echo "launcher RSS, child running: ${rss_kb} kB (target < 2048 kB)"
echo "launcher binary size:       ${size} bytes"
