#!/bin/bash
# The speed issue's one-pass figures with bilinear up-sampling as two matrix products (engine.BilinearResize),
# alternating with the PyTorch 1.13 script of the same networks (which up-samples with libtorch's plain bilinear
# kernel) and with the build before the change (c5c9986), 256 px, batch 8, two threads, on an AMD EPYC of family 25,
# model 17 (AVX-512); then both builds at the default inspection (four mirrors, two shifts: eight passes per image).
# MODEL_256: a 4-step model at 256 px of the defaults (`dmdd train --data D --category brick --out M --steps 4
# --image-size 256 --batch 8 --seed 42`); OLD_JAR: the build at c5c9986 (its own lib/ beside it).
# resize-timing.txt: `javac -cp "$CP" -d /tmp/offline docs/dev-benchmark/offline/ResizeTiming.java`, then
# `java -cp "$CP:/tmp/offline" dmdd.model.engine.ResizeTiming fwd` and `... bwd`.
# Run from the repository root after `mvn -B -q -DskipTests package`; needs python3-torch and libopenblas0-openmp.
J=${NEW_JAR:-app/target/dmdd.jar}
OUT=${OUT:-docs/dev-benchmark/speed-resize-products}
for r in 1 2 3; do
  /usr/bin/python3 docs/dev-benchmark/speed-torch-same-networks/dmdd_torch_bench.py --size 256 --threads 2 \
      --seconds 6 --train-steps 8 > $OUT/torch-r$r.txt 2>&1
  java -jar $J bench --model ${MODEL_256:?} --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/dmdd-r$r.txt 2>&1
  java -jar ${OLD_JAR:?} bench --model $MODEL_256 --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/before-r$r.txt 2>&1
done
for r in 1 2; do
  java -jar $J bench --model $MODEL_256 --seconds 8 --train-steps 0 > $OUT/dmdd-views-r$r.txt 2>&1
  java -jar $OLD_JAR bench --model $MODEL_256 --seconds 8 --train-steps 0 > $OUT/before-views-r$r.txt 2>&1
done
