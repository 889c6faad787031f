package io.cvmboot.builder.build;

import io.cvmboot.builder.spec.BuildSpec.FileRef;
import java.io.IOException;
import java.util.List;

/** Reads the inputs a build spec names: members of pinned packages, or pinned local files. */
public interface InputResolver {
    /** The file {@code ref} names, checked against its pin. */
    ResolvedFile file(String role, FileRef ref) throws IOException, BuildInputException;

    /** The regular files below the directory {@code ref} names, sorted by path. */
    List<ResolvedFile> directory(String role, FileRef ref) throws IOException, BuildInputException;
}
