# common.sh - sourced by the bash benchmarks that take
#   [-n CASES] [-r RUNS] [-b BUILD_DIR] [-w WORK_DIR]
# (bench_aggregate.sh, bench_export.sh).  Before sourcing, set the defaults
# n, runs, build and work, and help (the line range of the caller's header
# to print on a bad option, e.g. '2,17p'); then
#   bench_options "$@"          parses the options into n, runs, build, work
#                               and sets vsp (the binary) and py;
#   bench_need MODULE PACKAGE   stops (exit 69) when Debian's Python lacks
#                               MODULE, naming the package to install;
# and checks that the binary and /usr/bin/time are there.

bench_options() {
  local o OPTIND=1
  while getopts "n:r:b:w:" o; do
    case $o in
      n) n=$OPTARG ;;
      r) runs=$OPTARG ;;
      b) build=$OPTARG ;;
      w) work=$OPTARG ;;
      *) sed -n "$help" "$0"; exit 64 ;;
    esac
  done
  vsp=$build/vspreport
  py=/usr/bin/python3
  [ -x "$vsp" ] || { echo "no $vsp: build it first (see the header of $0)" >&2; exit 66; }
  [ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 69; }
}

bench_need() {
  $py -c "import $1" 2>/dev/null || { echo "$py has no $1: apt-get install $2" >&2; exit 69; }
}
