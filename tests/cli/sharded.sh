#!/bin/bash
# Sharded simulation end to end, with the recipes of examples/sharded-study:
# every way of running the shards, merged, gives the unsharded outputs byte for
# byte; merge refuses parts that do not make one whole.
# Usage: sharded.sh STEPSIM SOURCE_DIR WORK_DIR
set -euo pipefail
STEPSIM=$1
SRC=$2
WORK=$3
EXAMPLE=$SRC/examples/sharded-study
STUDY=$EXAMPLE/study.json
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }
same() {  # same OUT: OUT's outputs are the unsharded run's, byte for byte
  for f in summary.json executions.csv report.html; do
    cmp -s "full/$f" "$1/$f" || fail "$1/$f differs from the unsharded run's"
  done
}

"$STEPSIM" simulate "$STUDY" --out full --jobs 2 > full.txt
[ "$(grep -c '^scenario ' full.txt)" -eq 8 ] || fail "the sweep should make 8 scenarios"
runs=16  # 8 grid points x 2 replications

# Shards run in any order, parts given in any order, N from 1 to beyond the runs.
for n in 1 2 5 16 23; do
  for i in $(seq $((n - 1)) -1 0); do
    "$STEPSIM" simulate "$STUDY" --shard "$i/$n" --out "parts-$n" --jobs 1 -q
  done
  [ "$(ls "parts-$n" | wc -l)" -eq "$n" ] || fail "N=$n: expected $n parts"
  "$STEPSIM" merge "merged-$n" $(ls -r "parts-$n"/*.part) > "merged-$n.txt"
  same "merged-$n"
  cmp -s full.txt "merged-$n.txt" || fail "N=$n: merge's table differs from simulate's"
done

# --records and --aws-export: the parts carry them, merge writes them as the unsharded run does.
"$STEPSIM" simulate "$STUDY" --out full-extra --jobs 2 --records --aws-export -q
for i in 2 0 1; do
  "$STEPSIM" simulate "$STUDY" --shard "$i/3" --out parts-extra --jobs 2 --records --aws-export -q
done
[ "$(ls -A parts-extra | wc -l)" -eq 3 ] || fail "--records/--aws-export shards should leave only their parts: $(ls -A parts-extra)"
"$STEPSIM" merge merged-extra parts-extra -q
for f in summary.json executions.csv report.html invocations.csv environments.csv; do
  cmp -s "full-extra/$f" "merged-extra/$f" || fail "merged-extra/$f differs from the unsharded run's"
done
[ "$(wc -l < full-extra/invocations.csv)" -gt 100 ] || fail "the records should hold the invocations"
[ "$(ls full-extra/aws | wc -l)" -eq "$runs" ] || fail "the unsharded --aws-export should write one file per run"
diff -r full-extra/aws merged-extra/aws > /dev/null || fail "merged-extra/aws differs from the unsharded run's"

# xargs -P on one machine: the example's script as written.
STEPSIM="$STEPSIM" N=6 P=3 "$EXAMPLE/run-local.sh" "$STUDY" local
same local

# Slurm job array: each task is the script run with SLURM_ARRAY_TASK_ID set,
# for the ids its #SBATCH --array line gives; then the merge script.
array=$(sed -n 's/^#SBATCH --array=\([0-9]*\)-\([0-9]*\)$/\1 \2/p' "$EXAMPLE/slurm-array.sh")
[ -n "$array" ] || fail "slurm-array.sh has no #SBATCH --array=A-B line"
set -- $array
[ "$1" -eq 0 ] || fail "the array must start at 0, the first shard"
for id in $(seq "$2" -1 "$1"); do
  SLURM_ARRAY_TASK_ID=$id STEPSIM="$STEPSIM" STUDY="$STUDY" PARTS=slurm-parts bash "$EXAMPLE/slurm-array.sh"
done
[ "$(ls slurm-parts | wc -l)" -eq $(($2 + 1)) ] || fail "the array should write one part per task"
PARTS=slurm-parts OUT=slurm STEPSIM="$STEPSIM" bash "$EXAMPLE/slurm-merge.sh" > /dev/null
same slurm

# Kubernetes Indexed Job: every index from 0 to completions - 1 runs the container's args
# with JOB_COMPLETION_INDEX set (the study and parts paths mapped to this folder).
completions=$(sed -n 's/^  completions: \([0-9]*\)$/\1/p' "$EXAMPLE/k8s-indexed-job.yaml")
args=$(sed -n 's/^ *args: \[\(.*\)\]$/\1/p' "$EXAMPLE/k8s-indexed-job.yaml" | tr -d '",')
[ -n "$completions" ] && [ -n "$args" ] || fail "k8s-indexed-job.yaml: no completions or args"
case "$args" in *"JOB_COMPLETION_INDEX/$completions "*) ;; *) fail "the Job's --shard N must be its completions";; esac
for index in $(seq 0 $((completions - 1))); do
  # shellcheck disable=SC2086
  (cd "$EXAMPLE" && JOB_COMPLETION_INDEX=$index "$STEPSIM" ${args//\/parts/$WORK/k8s-parts})
done
merge_args=$(sed -n 's/^ *args: \[\(.*\)\]$/\1/p' "$EXAMPLE/k8s-merge-job.yaml" | tr -d '",')
# shellcheck disable=SC2086
"$STEPSIM" ${merge_args//\/parts/$WORK/k8s-parts} > /dev/null
same k8s-parts/out

# Refusals: exit 2, a message naming what is wrong, nothing written.
refuse() {  # refuse EXPECTED-MESSAGE PART...
  local expected=$1
  shift
  if "$STEPSIM" merge refused "$@" > refused.out 2> refused.err; then fail "merge $* should fail"; fi
  grep -qF -- "$expected" refused.err || fail "merge $*: expected '$expected', got: $(cat refused.err)"
  [ ! -e refused ] || fail "a refused merge wrote outputs"
}
refuse "1 of the 5 parts is missing: 3" parts-5/part-0-of-5.part parts-5/part-1-of-5.part parts-5/part-2-of-5.part parts-5/part-4-of-5.part
refuse "part 2 of 5 is given twice" parts-5 parts-5/part-2-of-5.part
refuse "'shards' is 5 in one and 2 in the other" parts-5 parts-2/part-0-of-2.part
"$STEPSIM" simulate "$STUDY" --shard 0/2 --seed 12 --out reseeded -q
refuse "'seed' is 12 in one and 11 in the other" reseeded/part-0-of-2.part parts-2/part-1-of-2.part
"$STEPSIM" simulate "$STUDY" --shard 1/3 --out parts-plain3 -q
refuse "'records' is true in one and false in the other" parts-extra/part-0-of-3.part parts-extra/part-2-of-3.part parts-plain3/part-1-of-3.part
if "$STEPSIM" simulate "$STUDY" --shard 2/2 --out bad -q 2> shard.err; then fail "--shard 2/2 should fail"; fi
grep -qF -- "--shard 2/2: I must be from 0 to 1, not 2" shard.err || fail "--shard 2/2: $(cat shard.err)"
if "$STEPSIM" simulate "$STUDY" --shard 0/2 -q 2> shard.err; then fail "--shard without --out should fail"; fi
grep -qF -- "--shard writes a part: it needs --out DIR" shard.err || fail "--shard without --out: $(cat shard.err)"
echo "sharded: all checks passed ($runs runs)"
