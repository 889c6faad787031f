# Sourced by bin/sev-snp-measure and bin/builder (for `builder measure snp`): run_measure_snp
# execs `builder measure snp ARGS` on the slim class path (only the jars the command needs: Jackson
# for --json, picocli for help, which models `measure pcr` too), with its own AOT cache trained on
# a real digest and the JIT flags of bin/lib/jit-flags.bash (docs/snp.md, "Speed"). One library
# rather than bin/builder running bin/sev-snp-measure: that cost a second bash start.
# Needs $here (the repository root).
run_measure_snp() {
    local target=$here/builder/target cp j found flags aot main trained_cp fw jdk
    source "$here/bin/lib/find-jdk.bash"
    find_jdk || exit 2
    if [[ ! -f "$target/builder-plain.jar" ]]; then
        echo "sev-snp-measure: first run, building $target/builder-plain.jar with Maven" >&2
        (cd "$here" && JAVA_HOME="$jdk" mvn -q -B -DskipTests install >&2)
    fi
    # Globs, not subshells: every fork costs a launch about a millisecond.
    cp="$target/builder-plain.jar"
    for j in measure initrd picocli jackson-databind jackson-core jackson-annotations; do
        found=("$target/lib/$j"-[0-9]*.jar)
        [[ -f "${found[0]}" ]] || { echo "sev-snp-measure: no $j jar in $target/lib: build with mvn package" >&2; exit 2; }
        cp+=":${found[0]}"
    done
    source "$here/bin/lib/jit-flags.bash"
    flags=(-XX:+UseSerialGC -Xlog:aot=off -Xlog:cds=off "${jit_flags[@]}" -cp "$cp")
    aot=$target/sev-snp-measure.aot
    main=io.cvmboot.builder.cli.MeasureSnpCommand
    # A cache only serves the exact class path it was trained with: retrain when the jars change.
    trained_cp=
    [[ -f "$aot.cp" ]] && read -r trained_cp < "$aot.cp"
    if [[ ! -f "$aot" || "$target/builder-plain.jar" -nt "$aot" || "$trained_cp" != "$cp" ]]; then
        # Training run: a kernel-hashes digest over the repository's test firmware (any bytes serve as
        # kernel and initrd). A failed training leaves no cache, and runs go on without one.
        fw=$here/measure/src/test/resources/snp
        "$jdk/bin/java" "${flags[@]}" -XX:AOTCacheOutput="$aot" "$main" --mode snp --vcpus 2 \
            --vcpu-type EPYC-v4 --ovmf "$fw/OVMF.amdsev.sid.fd" --kernel "$target/builder-plain.jar" \
            --initrd "$fw/initrd-small.cpio" --append "console=ttyS0" >/dev/null 2>&1 || rm -f "$aot"
        echo "$cp" > "$aot.cp"
    fi
    if [[ -f "$aot" ]]; then
        exec "$jdk/bin/java" "${flags[@]}" -XX:AOTCache="$aot" "$main" "$@"
    fi
    exec "$jdk/bin/java" "${flags[@]}" "$main" "$@"
}
