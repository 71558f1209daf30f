#!/usr/bin/env bash
# docs-check: runs every shell command shown in README.md and docs/*.md, so the docs
# cannot drift from the tool. Usage: scripts/docs-check.sh [FILE.md ...]
#
# What runs:
#   - every command of a ```sh, ```bash or ```shell block (a line ending in `\` continues
#     the command; blank lines and `#` comment lines are ignored);
#   - every `$ ` line of a ```console block (a transcript: the other lines are output and
#     are not compared);
#   - a block preceded by `<!-- docs-check: file PATH -->` is compared with the tracked
#     file PATH instead of being run (for scripts shown in full in a doc).
# Markers (documented in README.md, "Docs that run"):
#   - `# docs-check: skip (reason)` at the end of a command, or `<!-- docs-check: skip
#     (reason) -->` on the line before a block: not run, reported as skipped with the reason.
#     Only for commands too long for CI (or that would run this check recursively).
#   - `# docs-check: needs TOOL` / `<!-- docs-check: needs TOOL -->`: run only when TOOL is
#     installed (one word: `command -v TOOL`; several words: a command that must succeed).
# How: the tracked (and untracked, not ignored) files are copied to a scratch folder and
# each document's commands run there in order in one shell per document (so `A=…` and
# `cd` carry over, as for a reader following along), each command under a timeout. The
# built antgen (.build/debug/antgen, or $ANTGEN) stands in for .build/release/antgen and
# for `antgen` on PATH; `swift build …` lines are mapped to that prebuilt binary. Nothing
# tracked changes: the only folder shared with the work tree is the (ignored) Verilator
# build cache .antgen-cache/, which the test suite uses too, so a configuration that both
# the docs and the suite verify is built once.
# Output: one line per command (PASS/FAIL/SKIP, file:line, the command, seconds), the tail
# of the output of each failure, and a last line "docs-check: N passed, N failed, N skipped".
# Exits 1 if any command failed, 2 if the check itself cannot run.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
antgen=${ANTGEN:-$root/.build/debug/antgen}
timeout_seconds=${DOCS_CHECK_TIMEOUT:-120}

fail_setup() { echo "docs-check: error: $*" >&2; exit 2; }

[ -z "${DOCS_CHECK_ACTIVE:-}" ] || fail_setup "a documented command ran docs-check again; mark it '# docs-check: skip (…)'"
[ -x "$antgen" ] || fail_setup "$antgen is missing; run 'swift build' first (or set ANTGEN)"
command -v git >/dev/null || fail_setup "git is needed to list the tracked files"
antgen=$(cd "$(dirname "$antgen")" && pwd)/$(basename "$antgen")

cd "$root" || exit 2
if [ "$#" -gt 0 ]; then
    documents=("$@")
else
    mapfile -t documents < <(git ls-files README.md 'docs/*.md')
fi
for document in "${documents[@]}"; do [ -f "$document" ] || fail_setup "no such document: $document"; done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/antgen-docs-check.XXXXXX") || fail_setup "cannot create a scratch folder"
trap 'rm -rf "$scratch"' EXIT
work=$scratch/repo
mkdir -p "$work" "$scratch/bin" "$scratch/logs"

# The tree as a reader's clone has it (tracked files plus new, not-ignored ones).
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' path; do
    [ -e "$path" ] && printf '%s\0' "$path"
done | xargs -0 -r cp -P --parents -t "$work" || fail_setup "cannot copy the tree to $work"
mkdir -p "$work/.build/debug" "$work/.build/release"
for tool in antgen antgen-bench; do
    real=$(dirname "$antgen")/$tool
    [ "$tool" = antgen ] && real=$antgen
    [ -x "$real" ] || continue
    ln -s "$real" "$work/.build/debug/$tool"
    ln -s "$real" "$work/.build/release/$tool"
    ln -s "$real" "$scratch/bin/$tool"
done
mkdir -p "$root/.antgen-cache" && ln -s "$root/.antgen-cache" "$work/.antgen-cache"

# `swift build …` means "have a built antgen": already true. Anything else would rebuild
# the whole package in the scratch copy, so it is refused with a hint.
cat > "$scratch/bin/swift" <<EOF
#!/usr/bin/env bash
if [ "\${1:-}" = build ]; then
    echo "docs-check: 'swift \$*' mapped to the prebuilt $antgen"
    exit 0
fi
echo "docs-check: 'swift \$*' would rebuild the package in the scratch copy; mark the command '# docs-check: skip (…)'" >&2
exit 127
EOF
chmod +x "$scratch/bin/swift"

# Turns one markdown file into a bash script of __dc_run / __dc_same calls.
extract() {
    awk -v doc="$1" '
    function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
    function marker(s,    m) {
        if (match(s, /docs-check: *(skip|needs)[^>]*/)) {
            m = substr(s, RSTART, RLENGTH); sub(/^docs-check: */, "", m); sub(/ *--$/, "", m); return trim(m)
        }
        return ""
    }
    function emit(line, text, mark) {
        gsub(/\047/, "", mark)
        if (mark == "") mark = blockmark
        printf "__dc_run %d \047%s\047 <<\047__DC_EOF__\047\n%s\n__DC_EOF__\n", line, mark, text
    }
    function flush() { if (pending != "") { emit(pendingline, pending, marker(pending)); pending = "" } }
    BEGIN { inblock = 0 }
    {
        if (!inblock && $0 ~ /^[ \t]*```/) {
            lang = trim(substr(trim($0), 4)); inblock = 1; blockmark = nextmark; samefile = pendingfile
            nextmark = ""; pendingfile = ""; pending = ""
            kind = (lang == "sh" || lang == "bash" || lang == "shell") ? "sh" : (lang == "console" ? "console" : "")
            if (samefile != "") { printf "__dc_same %d \047%s\047 <<\047__DC_EOF__\047\n", NR, samefile; kind = "same" }
            next
        }
        if (inblock && $0 ~ /^[ \t]*```[ \t]*$/) {
            flush(); if (kind == "same") print "__DC_EOF__"
            inblock = 0; next
        }
        if (!inblock) {
            if ($0 ~ /^<!-- *docs-check: *file /) { f = $0; sub(/^<!-- *docs-check: *file */, "", f); sub(/ *-->.*$/, "", f); pendingfile = f }
            else if ($0 ~ /^<!-- *docs-check:/) nextmark = marker($0)
            else if (trim($0) != "") { nextmark = ""; pendingfile = "" }
            next
        }
        if (kind == "same") { print; next }
        if (kind == "sh") {
            if (pending == "") {
                t = trim($0)
                if (t == "" || substr(t, 1, 1) == "#") next
                pending = $0; pendingline = NR
            } else pending = pending "\n" $0
            if ($0 !~ /\\$/) flush()
            next
        }
        if (kind == "console") {
            if (pending != "") { pending = pending "\n" $0; if ($0 !~ /\\$/) flush(); next }
            if ($0 ~ /^\$ /) { pending = substr($0, 3); pendingline = NR; if ($0 !~ /\\$/) flush() }
        }
    }' "$1"
}

# The functions each document's script runs with.
cat > "$scratch/runner.sh" <<'EOF'
__dc_doc=$1; __dc_results=$2; __dc_logs=$3; __dc_timeout=$4
__dc_print() { printf '%s\n' "$1" | head -c 400 | tr '\n' ' '; }
__dc_run() {
    local line=$1 mark=$2 command status start seconds log
    command=$(cat)
    local shown; shown=$(__dc_print "$command")
    case "$mark" in
    skip*)
        local reason=${mark#skip}; reason=${reason# }; reason=${reason#(}; reason=${reason%)}
        echo "SKIP $__dc_doc:$line  $shown  [skipped: ${reason:-no reason given}]"; echo skip >> "$__dc_results"; return ;;
    needs*)
        local need=${mark#needs}; need=${need# }
        local present=0
        if [ "${need// /}" = "$need" ]; then command -v "$need" > /dev/null && present=1
        else bash -c "$need" > /dev/null 2>&1 && present=1; fi
        if [ "$present" = 0 ]; then
            echo "SKIP $__dc_doc:$line  $shown  [needs $need, not installed]"; echo skip >> "$__dc_results"; return
        fi ;;
    esac
    log=$__dc_logs/$(basename "$__dc_doc").$line.log
    start=$(date +%s.%N)
    if [[ "$command" =~ ^[A-Za-z_][A-Za-z0-9_]*=[^[:space:]\;\|\&]*([[:space:]]+#.*)?$ || "$command" =~ ^(cd|export)[[:space:]] ]]; then
        # State for the commands that follow: set in this shell (exported by set -a).
        eval "$command" > "$log" 2>&1; status=$?
    else
        timeout -k 5 "$__dc_timeout" bash -c "$command" > "$log" 2>&1 < /dev/null; status=$?
    fi
    seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    if [ "$status" -eq 0 ]; then
        echo "PASS $__dc_doc:$line  $shown  (${seconds} s)"; echo pass >> "$__dc_results"
    else
        [ "$status" -eq 124 ] && echo "  timed out after $__dc_timeout s" >> "$log"
        echo "FAIL $__dc_doc:$line  $shown  (exit $status, ${seconds} s); last lines of its output:"
        tail -n 15 "$log" | sed 's/^/    | /'
        echo fail >> "$__dc_results"
    fi
}
__dc_same() {
    local line=$1 path=$2
    if [ -f "$path" ] && diff -u "$path" - > "$__dc_logs/same.$line.log" 2>&1; then
        echo "PASS $__dc_doc:$line  the block is the file $path"; echo pass >> "$__dc_results"
    else
        cat > /dev/null
        echo "FAIL $__dc_doc:$line  the block differs from the file $path:"
        head -n 20 "$__dc_logs/same.$line.log" | sed 's/^/    | /'
        echo fail >> "$__dc_results"
    fi
}
set -a
EOF

results=$scratch/results
: > "$results"
start_all=$(date +%s)
for document in "${documents[@]}"; do
    script=$scratch/$(echo "$document" | tr '/' '_').sh
    { cat "$scratch/runner.sh"; extract "$document" || fail_setup "cannot read the code blocks of $document"; } > "$script"
    echo "== $document"
    (cd "$work" && PATH="$scratch/bin:$PATH" DOCS_CHECK_ACTIVE=1 bash "$script" "$document" "$results" "$scratch/logs" "$timeout_seconds")
done
passed=$(grep -c '^pass$' "$results")
failed=$(grep -c '^fail$' "$results")
skipped=$(grep -c '^skip$' "$results")
echo "docs-check: $passed passed, $failed failed, $skipped skipped ($(( $(date +%s) - start_all )) s)"
[ "$failed" -eq 0 ]
