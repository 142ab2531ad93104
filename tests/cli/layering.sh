#!/bin/bash
# The house's floors, kept true: pipeline/ includes nothing of charts/,
# reports/ or cli/; charts/ nothing of reports/ or cli/; reports/ nothing of
# cli/.  (cli/ may use everything.)  A few lines over the #include lines.
set -u
top=${VSP_SOURCE_DIR:?}

# violations ROOT: print every #include that reaches up a floor.
violations() {
    local root=$1 room forbidden
    for rule in "pipeline:charts|reports|cli" "charts:reports|cli" "reports:cli"; do
        room=${rule%%:*}; forbidden=${rule#*:}
        grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"($forbidden)/" \
            "$root/$room"/*.[ch] 2>/dev/null | sed "s|^$root/||"
    done
}

# The checker must be able to fail: a planted upward include is found.
tmp=${VSP_TEST_TMP:-/tmp}/layering.$$
mkdir -p "$tmp/pipeline" "$tmp/charts" "$tmp/reports"
printf '#include "charts/chart.h"\n' > "$tmp/pipeline/x.c"
printf '  #  include "cli/cli.h"\n' > "$tmp/reports/y.h"
planted=$(violations "$tmp" | wc -l)
rm -rf "$tmp"
if [ "$planted" -ne 2 ]; then
    echo "layering: the checker found $planted of 2 planted violations"; exit 1
fi

found=$(violations "$top")
if [ -n "$found" ]; then
    echo "layering: a floor includes one above it (pipeline/ < charts/ < reports/ < cli/):"
    printf '%s\n' "$found"
    exit 1
fi
echo "layering: ok"
