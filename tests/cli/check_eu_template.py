#!/usr/bin/python3
"""check_eu_template.py EU.csv STATS.csv CATEGORIES.csv PERIOD

Checks the EU template layout (reports/eu_template.h) of PERIOD against
`vspreport stats --format csv` (STATS.csv: the period, '*' and every
category, one header) and the category table (CATEGORIES.csv: code,dsa,
read from the warehouse with sqlite3), with pandas:

 - RFC 4180 with CRLF, no byte-order mark, the header, the first row
   saying it is an alignment aid and not a DSA report;
 - number_of_notices, _actioned, _outcome_pending for every DSA category
   and scope (AL..XK with XK for Kosovo, region) = the sum of stats'
   forwarded, actioned, outcome_pending over the categories that map to
   it; for 'all' = stats' '*' figure; the DSA categories sum to 'all';
 - median_time_to_give_effect per scope = stats' median_d_to_action, with
   "unit: days" and stats' n_d_to_action in the contextual information.
Prints one line per problem; exit 1 when there is any.
"""
import sys

import pandas as pd

HEADER = ["section", "section_title", "field", "type_of_illegal_content", "scope", "value",
          "contextual_information"]
SCOPES = ["AL", "BA", "ME", "MK", "RS", "XK", "region"]
FIELDS = {"number_of_notices": "forwarded", "number_of_notices_actioned": "actioned",
          "number_of_notices_outcome_pending": "outcome_pending"}


def main():
    eu_path, stats_path, cat_path, period = sys.argv[1:5]
    bad = []
    raw = open(eu_path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        bad.append("a byte-order mark")
    if not raw.endswith(b"\r\n") or b"\n" in raw.replace(b"\r\n", b""):
        bad.append("line ends are not CRLF")
    eu = pd.read_csv(eu_path, dtype=str, keep_default_na=False)
    if list(eu.columns) != HEADER:
        print("header %s" % list(eu.columns))
        sys.exit(1)
    first = eu.iloc[0]
    if first.field != "document_type" or first.value != "alignment aid" or \
            "NOT a DSA transparency report" not in first.contextual_information:
        bad.append("the first row does not say it is an alignment aid: %s" % first.tolist())
    ident = dict(zip(eu[eu.section == "1.1"].field, eu[eu.section == "1.1"].value))
    if ident.get("reporting_period") != period:
        bad.append("reporting_period %r" % ident.get("reporting_period"))

    st = pd.read_csv(stats_path, dtype=str, keep_default_na=False)
    st = st[st.period == period].set_index(["country", "category"])
    cats = pd.read_csv(cat_path, dtype=str, keep_default_na=False, names=["code", "dsa"])
    groups = cats.groupby("dsa")["code"].apply(list).to_dict()

    notices = eu[eu.section == "1.3"]
    got = {(r.field, r.type_of_illegal_content, r.scope): r for r in notices.itertuples()}
    want_rows = len(FIELDS) * (len(groups) + 1) * len(SCOPES) + len(SCOPES)
    if len(notices) != want_rows:
        bad.append("%d rows in section 1.3, want %d" % (len(notices), want_rows))
    for field, measure in FIELDS.items():
        for scope in SCOPES:
            total = 0
            for dsa, codes in groups.items():
                want = sum(int(st.loc[(scope, c), measure]) for c in codes)
                total += want
                r = got.get((field, dsa, scope))
                if r is None or r.value != str(want):
                    bad.append("%s %s %s: %s, stats gives %d" % (field, dsa, scope,
                                                                 r and r.value, want))
            r = got.get((field, "all", scope))
            if r is None or r.value != st.loc[(scope, "*"), measure]:
                bad.append("%s all %s: %s, stats %s" % (field, scope, r and r.value,
                                                        st.loc[(scope, "*"), measure]))
            if r is not None and r.value != str(total):
                bad.append("%s %s: the DSA categories sum to %d, all is %s" % (field, scope,
                                                                               total, r.value))
    for scope in SCOPES:
        r = got.get(("median_time_to_give_effect", "all", scope))
        want = st.loc[(scope, "*"), "median_d_to_action"]
        n = st.loc[(scope, "*"), "n_d_to_action"]
        if r is None or r.value != want:
            bad.append("median_time_to_give_effect %s: %s, stats %s" % (scope, r and r.value, want))
        elif "unit: days" not in r.contextual_information or \
                ("n = %s " % n) not in r.contextual_information:
            bad.append("median_time_to_give_effect %s: contextual information %r lacks the "
                       "unit or n = %s" % (scope, r.contextual_information, n))
    if "XK" not in set(eu.scope):
        bad.append("no scope XK")
    for b in bad[:40]:
        print(b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
