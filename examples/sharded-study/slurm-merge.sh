#!/bin/bash
# Merges the parts the array wrote (see slurm-array.sh) into OUT.
#SBATCH --job-name=stepsim-merge
#SBATCH --output=stepsim-merge.log
set -euo pipefail
PARTS=${PARTS:-parts}
OUT=${OUT:-out}
STEPSIM=${STEPSIM:-stepsim}
"$STEPSIM" merge "$OUT" "$PARTS"
