#!/usr/bin/python3
"""check_xlsx_parts.py A.xlsx B.xlsx ... — the workbooks hold the same parts.

Unzips each with Python's zipfile (zlib's inflate, nothing of vspreport):
every archive must pass its CRC check (testzip), every part must be stored
deflated, and every workbook must have the same part names in the same
order with the same bytes as the first.  Prints one line per workbook;
exits 1 naming the first part that differs, 2 on a damaged archive.
"""
import sys
import zipfile


def parts(path):
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad is not None:
            print(f"{path}: part {bad} fails its CRC check", file=sys.stderr)
            sys.exit(2)
        out = []
        for info in z.infolist():
            if info.compress_type != zipfile.ZIP_DEFLATED:
                print(f"{path}: part {info.filename} is not deflated", file=sys.stderr)
                sys.exit(2)
            out.append((info.filename, z.read(info)))
        return out


def main(paths):
    first = parts(paths[0])
    total = sum(len(b) for _, b in first)
    print(f"{paths[0]}: {len(first)} parts, {total} bytes unzipped")
    for path in paths[1:]:
        other = parts(path)
        names_a = [n for n, _ in first]
        names_b = [n for n, _ in other]
        if names_a != names_b:
            print(f"{path}: parts {names_b} differ from {paths[0]}'s {names_a}", file=sys.stderr)
            return 1
        for (name, a), (_, b) in zip(first, other):
            if a != b:
                at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
                print(f"{path}: part {name} differs from {paths[0]}'s at byte {at} "
                      f"({len(b)} against {len(a)} bytes)", file=sys.stderr)
                return 1
        print(f"{path}: the same {len(other)} parts")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(64)
    sys.exit(main(sys.argv[1:]))
