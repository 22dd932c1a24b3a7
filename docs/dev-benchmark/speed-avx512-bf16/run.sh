#!/bin/bash
# One-pass speed figures of the speed issue on an AMD EPYC of family 25, model 17 (AVX-512 with BF16), against the
# PyTorch 1.13 reference of the same networks, alternating, 256 px, batch 8, two threads.
# MODEL_256: a 4-step model of today's defaults at 256 px. Run from the repository root after
# `mvn -B -q -DskipTests package`; needs python3-torch and libopenblas0-openmp.
J=app/target
OUT=${OUT:-docs/dev-benchmark/speed-avx512-bf16}
for r in 1 2 3; do
  java -jar $J/dmdd.jar bench --model MODEL_256 --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/dmdd-r$r.txt 2>&1
  /usr/bin/python3 docs/dev-benchmark/speed-torch-same-networks/dmdd_torch_bench.py --size 256 --threads 2 \
      --seconds 6 --train-steps 8 > $OUT/torch-r$r.txt 2>&1
done
