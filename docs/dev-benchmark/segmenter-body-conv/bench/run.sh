#!/bin/bash
# segmenterBody=conv against the residual default and the PyTorch 1.13 reference of the same networks, alternating,
# 256 px, batch 8, two threads, one network pass per image; 4-step 256 px models of each body.
J=/tmp/s29/clone/app/target/dmdd.jar
PY=/tmp/s29/clone/docs/dev-benchmark/speed-torch-same-networks/dmdd_torch_bench.py
OUT=/tmp/s29/speed
for r in 1 2 3; do
  java -jar $J bench --model /tmp/s29/m256-res --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/res-r$r.txt 2>&1
  java -jar $J bench --model /tmp/s29/m256-conv --seconds 6 --train-steps 8 --views 1 --shifts 1 > $OUT/conv-r$r.txt 2>&1
  /usr/bin/python3 $PY --size 256 --threads 2 --seconds 6 --train-steps 8 > $OUT/torch-res-r$r.txt 2>&1
  /usr/bin/python3 $PY --size 256 --threads 2 --seconds 6 --train-steps 8 --segmenter-body conv > $OUT/torch-conv-r$r.txt 2>&1
done
echo done > $OUT/finished
