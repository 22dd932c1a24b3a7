#!/bin/bash
# The speed issue's one-pass figures with today's defaults (studentStemStride 4, the clean pairs' cached features,
# the segmentation network's per-level reduction), alternating with the PyTorch 1.13 script of the same networks and
# the same caches, and with the build before these changes (bd10781) on its own 4-step model, 256 px, batch 8, two
# threads, on an AMD EPYC of family 25, model 17 (AVX-512).
# MODEL_256: a 4-step model of today's defaults at 256 px; OLD_JAR / OLD_MODEL_256: the build at bd10781 and a 4-step
# model it trained (`dmdd train --data D --category brick --out M --steps 4 --image-size 256 --batch 8 --seed 42`).
# Run from the repository root after `mvn -B -q -DskipTests package`; needs python3-torch and libopenblas0-openmp.
J=app/target
OUT=${OUT:-docs/dev-benchmark/speed-stem-stride-4}
for r in 1 2 3; do
  /usr/bin/python3 docs/dev-benchmark/speed-torch-same-networks/dmdd_torch_bench.py --size 256 --threads 2 \
      --seconds 6 --train-steps 8 > $OUT/torch-r$r.txt 2>&1
  java -jar $J/dmdd.jar bench --model ${MODEL_256:?} --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/dmdd-r$r.txt 2>&1
  java -jar ${OLD_JAR:?} bench --model ${OLD_MODEL_256:?} --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/before-r$r.txt 2>&1
done
