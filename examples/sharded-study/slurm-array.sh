#!/bin/bash
# One Slurm array task = one shard. Submit the array, then the merge once every
# task has succeeded:
#   job=$(sbatch --parsable slurm-array.sh)
#   sbatch --dependency=afterok:$job slurm-merge.sh
# The array runs 0..15, the shard indexes of --shard I/16: keep --array and N in step.
#SBATCH --job-name=stepsim-shard
#SBATCH --array=0-15
#SBATCH --cpus-per-task=2
#SBATCH --output=stepsim-shard-%a.log
set -euo pipefail
N=16
STUDY=${STUDY:-study.json}
PARTS=${PARTS:-parts}
STEPSIM=${STEPSIM:-stepsim}
mkdir -p "$PARTS"
# --shard SLURM_ARRAY_TASK_ID/16: stepsim reads the index from the variable Slurm sets for each task.
"$STEPSIM" simulate "$STUDY" --shard "SLURM_ARRAY_TASK_ID/$N" --out "$PARTS" --jobs "${SLURM_CPUS_PER_TASK:-1}" -q
