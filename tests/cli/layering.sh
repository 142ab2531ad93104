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
# The layout side reaches no cairo or Pango: the files charts/layout*.c and
# charts/layout.h include, and what those include in turn, name no
# <cairo*.h> or <pango*.h> (charts/chart.h keeps vsp_chart_draw out; it is
# charts/draw.h's).
# cairo_reach ROOT FILE...: the files of the closure that include cairo or Pango.
cairo_reach() {
    local root=$1 f inc
    shift
    local -A seen=()
    local queue=("$@")
    while [ ${#queue[@]} -gt 0 ]; do
        f=${queue[0]}; queue=("${queue[@]:1}")
        [ -n "${seen[$f]:-}" ] && continue
        seen[$f]=1
        [ -f "$root/$f" ] || continue
        grep -qE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(cairo|pango)' "$root/$f" && echo "$f"
        for inc in $(sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)".*/\1/p' "$root/$f"); do
            queue+=("$inc")
        done
    done
}
tmp=${VSP_TEST_TMP:-/tmp}/layering-cairo.$$
mkdir -p "$tmp/charts"
printf '#include "charts/chart.h"\n' > "$tmp/charts/layout.h"
printf '#include <stddef.h>\n#include <cairo.h>\n' > "$tmp/charts/chart.h"
planted=$(cairo_reach "$tmp" charts/layout.h | wc -l)
rm -rf "$tmp"
if [ "$planted" -ne 1 ]; then
    echo "layering: the cairo checker found $planted of 1 planted inclusion"; exit 1
fi
layout_files=$(cd "$top" && ls charts/layout.h charts/layout*.c)
found=$(cairo_reach "$top" $layout_files)
if [ -n "$found" ]; then
    echo "layering: the chart layout reaches cairo or Pango through:"
    printf '%s\n' "$found"
    exit 1
fi
echo "layering: ok"
