# Sourced by bin/builder and bin/sev-snp-measure. Until C2 compiles the callers of the JDK's
# SHA-NI/AVX2 intrinsics, a cold JVM hashes as interpreted Java at a few MB/s; these flags have
# SHA-256/384 compiled on first use, and the first caller wait for the compile instead of going on
# interpreted (docs/snp.md, "Speed").
sha_jit_flags=(-XX:CompileCommand=quiet)
for m in SHA2::implCompress0 SHA5::implCompress0 DigestBase::implCompressMultiBlock0; do
    sha_jit_flags+=(-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.$m,0.001)
done
sha_jit_flags+=(-XX:CompileCommand=BackgroundCompilation,sun.security.provider.*::*,false)
