#!/bin/bash
# The speed issue's one-pass figures with today's defaults (the clean pairs' cached features, the segmentation
# network's per-level reduction), alternating with the PyTorch 1.13 script of the same networks and the same caches,
# with the build before these changes (bd10781), and with studentStemStride 4 (a setting, not the default), 256 px,
# batch 8, two threads, on an AMD EPYC of family 25, model 17 (AVX-512).
# MODEL_256: a 4-step model at 256 px of the previous defaults (`dmdd train --data D --category brick --out M --steps 4
# --image-size 256 --batch 8 --seed 42` with the build at bd10781; today's build reads it as today's networks, which
# are the same); MODEL_256_STEM4: the same trained by today's build with --set studentStemStride=4; OLD_JAR: the
# build at bd10781.
# Run from the repository root after `mvn -B -q -DskipTests package`; needs python3-torch and libopenblas0-openmp.
J=app/target
OUT=${OUT:-docs/dev-benchmark/speed-clean-pair-caches}
for r in 1 2 3; do
  /usr/bin/python3 docs/dev-benchmark/speed-torch-same-networks/dmdd_torch_bench.py --size 256 --threads 2 \
      --seconds 6 --train-steps 8 > $OUT/torch-r$r.txt 2>&1
  java -jar $J/dmdd.jar bench --model ${MODEL_256:?} --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/dmdd-r$r.txt 2>&1
  java -jar ${OLD_JAR:?} bench --model $MODEL_256 --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/before-r$r.txt 2>&1
  java -jar $J/dmdd.jar bench --model ${MODEL_256_STEM4:?} --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/stem4-r$r.txt 2>&1
done
