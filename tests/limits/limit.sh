#!/bin/sh
# limit.sh NAME SECONDS COMMAND [ARG...]
#
# Runs COMMAND with a time limit: past SECONDS it gets SIGTERM, 5 s later
# SIGKILL (its whole process group), and limit.sh fails with a message naming
# NAME (the test or test group), so a hang fails fast and says where.
# Otherwise it exits with COMMAND's status. WG_TIMEOUT_SCALE (an integer)
# multiplies every limit, for a slow or busy machine. COMMAND's stdin is
# /dev/null: no test waits for a terminal.
name=$1 secs=$(($2 * ${WG_TIMEOUT_SCALE:-1}))
shift 2
timeout -k 5 "$secs" "$@" &
pid=$!
# timeout runs COMMAND in a process group of its own, which an interrupt at
# the terminal does not reach: pass it on.
trap 'kill -TERM $pid 2>/dev/null; wait $pid; exit 130' INT TERM HUP
wait $pid
rc=$?
case $rc in
  124) echo "TIMEOUT: $name did not finish within $secs s (killed)" >&2; exit 1 ;;
  137) echo "TIMEOUT: $name did not finish within $secs s, or was killed (SIGKILL)" >&2; exit 1 ;;
esac
exit $rc
