# Sourced by bin/builder and bin/sev-snp-measure: the JIT and start-up flags of short CLI runs
# (docs/snp.md, "Speed"; figures measured on 2 cores with the AOT caches).
#
# Compile late in general: a run that lasts a few hundred milliseconds spent a third of its CPU
# compiling start-up code it then ran a handful of times, and on a small machine that CPU is taken
# from zstd's workers. Ten times the default thresholds cut `builder initrd` (60 MB tree, zstd -3)
# from 0.37 to 0.30 s and `measure snp` from 0.20 to 0.16 s; 3, 5 and 30 did no better.
jit_flags=(-XX:CompileThresholdScaling=10)
# ...but the SHA hashing at once: stage1/src/image/compile-commands, the one list of JIT commands
# for the SHA intrinsics' callers, shared with stage1's JVM (it says why). Aiming at the callers
# took the firmware chain of a cold `measure snp` from 55 to 20 ms. Needs $here.
jit_flags+=(-XX:CompileCommandFile="$here/stage1/src/image/compile-commands")
# No hsperfdata file to create and map in /tmp (jps and jstat do not list these short runs).
jit_flags+=(-XX:-UsePerfData)
