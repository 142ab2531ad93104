"""pss_peak.py PID [INTERVAL_S] - the largest PSS, in kB, that the process
tree under PID (PID and every descendant) held at once, sampled every
INTERVAL_S seconds (default 0.02) until PID exits; printed on stdout.

One process reading /proc directly: sampling from a shell loop (pgrep,
cat, awk and sleep, several processes 50 times a second) took a sizeable
share of a 2-core machine from the run it was measuring."""
import os
import sys
import time


def children(pid):
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(k) for k in f.read().split())
    except OSError:
        pass
    return kids


def tree(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    root = int(sys.argv[1])
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 0.02
    peak = 0
    while os.path.exists(f"/proc/{root}"):
        try:
            with open(f"/proc/{root}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
        except OSError:
            break
        peak = max(peak, sum(pss(p) for p in tree(root)))
        time.sleep(interval)
    print(peak)


if __name__ == "__main__":
    main()
