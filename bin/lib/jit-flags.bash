# Sourced by bin/builder and bin/sev-snp-measure: the JIT and start-up flags of short CLI runs
# (docs/snp.md, "Speed"; figures measured on 2 cores with the AOT caches).
#
# Compile late in general: a run that lasts a few hundred milliseconds spent a third of its CPU
# compiling start-up code it then ran a handful of times, and on a small machine that CPU is taken
# from zstd's workers. Ten times the default thresholds cut `builder initrd` (60 MB tree, zstd -3)
# from 0.37 to 0.30 s and `measure snp` from 0.20 to 0.16 s; 3, 5 and 30 did no better.
jit_flags=(-XX:CompileThresholdScaling=10)
# ...but SHA-256/384 at once: until C2 compiles the callers of the JDK's SHA-NI/AVX2 intrinsics,
# a cold JVM hashes as interpreted Java at a few MB/s. The callers, not the intrinsic methods
# themselves: C2 replaces implCompress0 and implCompressMultiBlock0 by the intrinsic stubs at their
# call sites, while compiling them on their own builds their long Java bodies (10-16 ms each on
# the one C2 thread, and an OSR compile on top); aiming at the callers took the firmware chain of
# a cold `measure snp` from 55 to 20 ms. Their per-method scaling replaces the global one, and the
# first caller waits for the compile instead of going on interpreted.
jit_flags+=(-XX:CompileCommand=quiet)
for m in DigestBase::implCompressMultiBlock SHA2::implCompress SHA5::implCompress; do
    jit_flags+=(-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.$m,0.001)
    jit_flags+=(-XX:CompileCommand=BackgroundCompilation,sun.security.provider.$m,false)
done
# No hsperfdata file to create and map in /tmp (jps and jstat do not list these short runs).
jit_flags+=(-XX:-UsePerfData)
