#!/bin/bash
# The speed issue's one-pass figures after the automatic thread count stopped counting this program's own work
# (IntraOpThreads), alternating with the PyTorch 1.13 reference of the same networks, 256 px, batch 8, two threads,
# on an AMD EPYC of family 25, model 17 (AVX-512 with BF16). Each product run follows a PyTorch run that kept both
# cores busy: the load average the automatic count used to read then said 2, and the product ran on one thread.
# MODEL_256: a 4-step model of today's defaults at 256 px (`dmdd train --data D --category brick --out M --steps 4
# --image-size 256 --batch 8 --seed 42`). Run from the repository root after `mvn -B -q -DskipTests package`;
# needs python3-torch and libopenblas0-openmp.
J=app/target
OUT=${OUT:-docs/dev-benchmark/speed-threads-own-work}
for r in 1 2 3; do
  /usr/bin/python3 docs/dev-benchmark/speed-torch-same-networks/dmdd_torch_bench.py --size 256 --threads 2 \
      --seconds 6 --train-steps 8 > $OUT/torch-r$r.txt 2>&1
  cat /proc/loadavg > $OUT/load-before-dmdd-r$r.txt
  java -jar $J/dmdd.jar bench --model ${MODEL_256:?} --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/dmdd-r$r.txt 2>&1
done
