#!/bin/bash
# The thread rule before (0f58fa5: processors minus the one-minute load average) and after (other programs' CPU
# use), each run of `bench` right after the PyTorch reference kept both cores busy for about a minute, two rounds,
# 256 px, on an AMD EPYC of family 25, model 17. OLD_JAR: app/target/dmdd.jar built at 0f58fa5 in another clone;
# MODEL_256 as in run.sh. Run from the repository root after `mvn -B -q -DskipTests package`.
OUT=${OUT:-docs/dev-benchmark/speed-threads-own-work}
for r in 1 2; do
  for rule in old new; do
    jar=app/target/dmdd.jar; [ $rule = old ] && jar=${OLD_JAR:?}
    /usr/bin/python3 docs/dev-benchmark/speed-torch-same-networks/dmdd_torch_bench.py --size 256 --threads 2 \
        --seconds 6 --train-steps 8 > /dev/null 2>&1
    cat /proc/loadavg > $OUT/$rule-rule-r$r.load
    java -jar $jar bench --model ${MODEL_256:?} --seconds 6 --train-steps 4 --views 1 --shifts 1 > $OUT/$rule-rule-r$r.txt 2>&1
  done
done
