#!/bin/bash
J=app/target
for r in 3 4; do
  java -jar $J/dmdd.jar bench --model MODEL_256 --seconds 6 --train-steps 8 --views 1 --shifts 1 > dmdd-r$r.txt 2>&1
  /usr/bin/python3 docs/dev-benchmark/speed-torch-same-networks/dmdd_torch_bench.py --size 256 --threads 2 --seconds 6 --train-steps 8 > torch-r$r.txt 2>&1
done
