#!/usr/bin/env bash
# Citation check: every "docs/protocol.md N" (also "section N", "sections 1 to 4", "2.3 to 2.7",
# "1-4", "4 and 5.1", "1, 2 and 4", and a number carried over to the next comment line) must name
# a heading of docs/protocol.md ("## 2. ..." is 2, "### 2.3 ..." is 2.3), and the notes must be
# cited by their path in the repository: any other spelling of the file name (another case, or
# without the docs/ directory, such as a copy outside the repository) is an error.
# Scans every text file of the working tree except .git, target directories and this script.
# Prints each offending file:line and exits 1; exits 0 when every citation resolves.
# Needs bash, grep and awk only.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

doc=docs/protocol.md
self=.ci/citations.sh
if [ ! -f "$doc" ]; then
  echo "$doc: missing" >&2
  exit 1
fi

# The numbered headings of the notes, one a line; a number used twice is an error of its own.
headings=$(awk '
  /^##+[ \t]+[0-9]+(\.[0-9]+)*\.?([ \t]|$)/ {
    n = $2; sub(/\.$/, "", n)
    if (n in seen) dups = dups sprintf("%s:%d: heading %s is also at line %d\n", FILENAME, FNR, n, seen[n])
    seen[n] = FNR
    list = list n "\n"
  }
  END { if (dups != "") { printf "%s", dups; exit 1 } printf "%s", list }' "$doc") || {
  printf '%s\n' "$headings"
  exit 1
}
if [ -z "$headings" ]; then
  echo "$doc: no numbered headings" >&2
  exit 1
fi

files=()
while IFS= read -r -d '' f; do
  f=${f#./}
  [ "$f" = "$self" ] && continue
  files+=("$f")
done < <(grep -rIliZ --exclude-dir=.git --exclude-dir=target -e 'protocol[.]md' . || true)
if [ ${#files[@]} -eq 0 ]; then
  echo "citations: nothing cites $doc"
  exit 0
fi

set +e
awk -v headings="$headings" '
  BEGIN {
    n = split(headings, h, "\n")
    for (i = 1; i <= n; i++) known[h[i]] = 1
    bad = 0; cited = 0
  }
  # Drops what opens a comment line (indentation, //, ///, //!, #, *, --, ;) from a next line.
  function strip(s) {
    sub(/^[ \t]*((\/\/+!?)|#+|\*+|--|;+)?[ \t]*/, "", s)
    return s
  }
  function report(file, line, msg) {
    printf "%s:%d: %s\n", file, line, msg
    bad++
  }
  function check(file, line, num) {
    cited++
    if (!(num in known))
      report(file, line, "cites docs/protocol.md " num ", which is not a heading of docs/protocol.md")
  }
  # Checks a range a..b: both ends, and what lies between when both are top-level numbers or
  # both are subsections of the same section.
  function check_range(file, line, a, b,    pa, pb, na, nb, i) {
    check(file, line, a); check(file, line, b)
    na = split(a, pa, "."); nb = split(b, pb, ".")
    if (na == 1 && nb == 1) {
      for (i = a + 1; i < b + 0; i++) check(file, line, i "")
    } else if (na == 2 && nb == 2 && pa[1] == pb[1]) {
      for (i = pa[2] + 1; i < pb[2] + 0; i++) check(file, line, pa[1] "." i)
    }
  }
  function scan(file, line, text, next_text,    rest, path, pos, num, sep, target) {
    # 1. Every spelling of the file name must be the path docs/protocol.md.
    rest = text
    while (match(rest, /[A-Za-z0-9_.\/~-]*[Pp][Rr][Oo][Tt][Oo][Cc][Oo][Ll][.][Mm][Dd]/)) {
      path = substr(rest, RSTART, RLENGTH)
      rest = substr(rest, RSTART + RLENGTH)
      if (path != "docs/protocol.md" && path !~ /\/docs\/protocol[.]md$/)
        report(file, line, "cites " path ": cite the notes as docs/protocol.md <section>")
    }
    # 2. Every section number cited must be a heading.
    rest = text
    while ((pos = index(rest, "docs/protocol.md")) > 0) {
      rest = substr(rest, pos + 16)
      target = rest
      # The number may be on the next comment line.
      if (target ~ /^,?[ \t]*((sections?|§)[ \t]*)?$/) target = target " " strip(next_text)
      if (!match(target, /^,?[ \t]+((sections?|§)[ \t]*)?[0-9]+(\.[0-9]+)*/)) continue
      sub(/^,?[ \t]+((sections?|§)[ \t]*)?/, "", target)
      match(target, /^[0-9]+(\.[0-9]+)*/)
      num = substr(target, 1, RLENGTH)
      target = substr(target, RLENGTH + 1)
      check(file, line, num)
      # Further numbers: "1, 2 and 4", "4 and 5.1", "2.3 to 2.7", "1-4".
      while (match(target, /^[ \t]*(,|and|or|to|through|-|–)[ \t]*[0-9]+(\.[0-9]+)*/)) {
        sep = substr(target, 1, RLENGTH)
        target = substr(target, RLENGTH + 1)
        match(sep, /[0-9]+(\.[0-9]+)*$/)
        if (sep ~ /^[ \t]*(to|through|-|–)/)
          check_range(file, line, num, substr(sep, RSTART))
        else
          check(file, line, substr(sep, RSTART))
        num = substr(sep, RSTART)
      }
    }
  }
  FNR == 1 {
    if (have) scan(pfile, pline, ptext, "")
    have = 0
  }
  {
    if (have) scan(pfile, pline, ptext, $0)
    pfile = FILENAME; pline = FNR; ptext = $0; have = 1
  }
  END {
    if (have) scan(pfile, pline, ptext, "")
    if (bad) {
      printf "citations: %d problem(s) in %d citation(s) of docs/protocol.md sections\n", bad, cited
      exit 1
    }
    printf "citations: %d citation(s) of docs/protocol.md sections, all headings of docs/protocol.md\n", cited
  }
' "${files[@]}"
status=$?
set -e
exit "$status"
