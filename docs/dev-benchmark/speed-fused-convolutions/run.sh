#!/bin/bash
# The speed issue's one-pass figures with each inference convolution and its ReLU run as one oneDNN call
# (engine.FusedConvolution, on by default since 2026-12-07), alternating with the same build with
# -Ddmdd.fusedConvolutions=false (the convolution and its ReLU apart, as before) and with the PyTorch 1.13 script of
# the same networks (docs/dev-benchmark/speed-torch-same-networks/dmdd_torch_bench.py, student norms frozen from 0.25
# like the product's default), 256 px, batch 8, two threads; then the default eight-pass inspection (four mirrors x two
# shifts) both ways.
# MODEL_256: a 4-step model at 256 px of today's defaults
# (`dmdd train --data D --category brick --out M --steps 4 --image-size 256 --batch 8 --seed 42`).
# Run from the repository root after `mvn -B -q -DskipTests package`; needs python3-torch and libopenblas0-openmp.
J=${NEW_JAR:-app/target/dmdd.jar}
OUT=${OUT:-docs/dev-benchmark/speed-fused-convolutions}
PY=docs/dev-benchmark/speed-torch-same-networks/dmdd_torch_bench.py
for r in 1 2 3; do
  /usr/bin/python3 $PY --size 256 --threads 2 --seconds 6 --train-steps 8 --student-norms-frozen-from 0.25 \
      > $OUT/torch-r$r.txt 2>&1
  java -jar $J bench --model ${MODEL_256:?} --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/fused-r$r.txt 2>&1
  java -Ddmdd.fusedConvolutions=false -jar $J bench --model $MODEL_256 --seconds 6 --train-steps 8 --views 1 \
      --shifts 1 > $OUT/apart-r$r.txt 2>&1
done
for r in 1 2; do
  java -jar $J bench --model $MODEL_256 --seconds 10 --train-steps 0 > $OUT/fused-views-r$r.txt 2>&1
  java -Ddmdd.fusedConvolutions=false -jar $J bench --model $MODEL_256 --seconds 10 --train-steps 0 \
      > $OUT/apart-views-r$r.txt 2>&1
done
