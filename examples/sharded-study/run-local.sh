#!/bin/sh
# Runs the study's N shards on this machine, P at a time, with xargs -P, then
# merges the parts. The outputs are byte for byte those of
#   stepsim simulate study.json --out "$OUT"
# Usage: run-local.sh [STUDY] [OUT]; environment: N (shards, default 8),
# P (shards at a time, default 4), STEPSIM (the program, default stepsim),
# PARTS (where the parts go, default OUT/parts).
set -eu
STUDY=${1:-study.json}
OUT=${2:-out}
N=${N:-8}
P=${P:-4}
STEPSIM=${STEPSIM:-stepsim}
PARTS=${PARTS:-$OUT/parts}
mkdir -p "$PARTS"
# Shard I of N for I = 0 .. N-1; each shard runs on one core (--jobs 1): xargs gives the parallelism.
seq 0 $((N - 1)) | xargs -P "$P" -I{} "$STEPSIM" simulate "$STUDY" --shard "{}/$N" --out "$PARTS" --jobs 1 -q
"$STEPSIM" merge "$OUT" "$PARTS" -q
