#!/usr/bin/env bash
# Regenerates the README's three CLI transcripts ("A session", "Inspecting and repairing a damaged
# store" and "A store a service has open") from a real run of ./sett, so they cannot drift from what the tool prints. Each transcript
# sits in the README between a marker line <!-- transcript: NAME --> and the end of the code block
# after it; this script replaces the block's contents and leaves the rest of the README alone.
#
#   scripts/readme-transcript.sh          rewrite README.md in place
#   scripts/readme-transcript.sh --print  print the transcripts instead
#
# Runs in /tmp/session (deleted first), so the paths in the output are stable. Timings, dates and
# expiry instants differ from run to run; everything else is reproducible.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sett="$root/sett"
work=/tmp/session
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# run DESCRIPTION ARGS...: echoes "$ sett ARGS" (as the reader would type it), runs it, and notes a
# non-zero exit as "[exit N]".
run() {
  local shown="$1"; shift
  echo "\$ sett $shown"
  local rc=0
  "$sett" "$@" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then echo "[exit $rc]"; fi
}

"$sett" --version > /dev/null  # builds sett.jar first, so no build output lands in a transcript

cd "$root" && rm -rf "$work" && mkdir -p "$work" && cd "$work"
{
  run "put shop user:1 '{\"name\":\"Ada\",\"lang\":\"en\"}'" put shop user:1 '{"name":"Ada","lang":"en"}'
  run "put shop user:2 '{\"name\":\"Grace\"}'" put shop user:2 '{"name":"Grace"}'
  run "put shop --key-format hex --value-format hex 0x00ff cafe00" put shop --key-format hex --value-format hex 0x00ff cafe00
  run "put shop --ttl 30m session:9 cart=3" put shop --ttl 30m session:9 cart=3
  run "get shop user:3" get shop user:3
  run "scan shop" scan shop
  run "get shop session:9 --meta" get shop session:9 --meta
  run "export shop shop.jsonl" export shop shop.jsonl
  echo "\$ cat shop.jsonl"
  cat shop.jsonl
  run "load shop-copy shop.jsonl" load shop-copy shop.jsonl
} > "$out/session"

cd "$root" && rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$sett" put shop user:1 '{"name":"Ada"}' > /dev/null
"$sett" put shop user:2 '{"name":"Grace"}' > /dev/null
"$sett" put shop user:3 '{"name":"Barbara"}' > /dev/null
{
  run "get shop user:2 --meta" get shop user:2 --meta
  echo "\$ # flip one bit of the value of user:2, then:"
  # user:2's record is at offset 120 (see --meta): a 32-byte header, the 6-byte key, then the value.
  python3 -c "
f = open('shop/0000000001.seg', 'r+b'); at = 120 + 32 + 6 + 2
f.seek(at); b = f.read(1); f.seek(at); f.write(bytes([b[0] ^ 1])); f.close()"
  run "verify shop" verify shop
  run "dump-segment shop/0000000001.seg" dump-segment shop/0000000001.seg
  run "repair --dry-run shop" repair --dry-run shop
  run "repair shop" repair shop
  run "verify shop" verify shop
  run "get shop user:3 --meta" get shop user:3 --meta
} > "$out/damage"

# A store that a service has open: 'sett demo' writes it for about 13 s (the writer), 'sett watch'
# keeps a read-only handle on it and refreshes it (a reader in another process).
cd "$root" && rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$sett" demo live > /dev/null 2>&1 &
demo=$!
while [[ ! -f live/sett.store ]]; do sleep 0.1; done
sleep 2
"$sett" watch --count 40 --interval 0.25 live > /dev/null 2>&1 &
watch=$!
sleep 1.5
{
  echo "\$ sett demo live > /dev/null &       # a writer: loads a million records, overwrites, compacts"
  echo "\$ sett watch live > /dev/null &      # a reader in another process, refreshing"
  run "info live" info live
  run "backup live live-copy" backup live live-copy
} > "$out/live"
wait "$watch" "$demo"
cd "$root"
rm -rf "$work"

if [[ "${1:-}" == --print ]]; then
  for name in session damage live; do echo "== $name"; cat "$out/$name"; done
  exit 0
fi

python3 - "$root/README.md" "$out" <<'PY'
import sys, pathlib
readme, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
text = readme.read_text()
for name in ("session", "damage", "live"):
    marker = "<!-- transcript: %s -->\n```\n" % name
    start = text.find(marker)
    if start < 0:
        sys.exit("README.md has no block marked <!-- transcript: %s -->" % name)
    start += len(marker)
    end = text.index("```", start)
    text = text[:start] + (out / name).read_text() + text[end:]
readme.write_text(text)
print("rewrote the transcripts in", readme)
PY
