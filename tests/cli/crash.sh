# The short crash test of every run: tests/crash/run.sh with six kills (two
# of each kind: import, merge, API writes); make crash runs a hundred.
HERE=$(cd "$(dirname "$0")" && pwd)
KILLS=${KILLS:-6} ROWS=${ROWS:-2000} CRASH_NAME=cli/crash exec bash "$HERE/../crash/run.sh"
