package io.cvmboot.builder.build;

import io.cvmboot.builder.deb.Archive;
import io.cvmboot.builder.deb.DebArchive;
import io.cvmboot.builder.deb.DebCache;
import io.cvmboot.builder.deb.DebEntry;
import io.cvmboot.builder.deb.DebFileTree;
import io.cvmboot.builder.deb.FetchProgressFormatter;
import io.cvmboot.builder.deb.FetchedPackage;
import io.cvmboot.builder.deb.MirrorSet;
import io.cvmboot.builder.deb.PackageException;
import io.cvmboot.builder.deb.PackageFetcher;
import io.cvmboot.builder.deb.PackageLocation;
import io.cvmboot.builder.deb.PackagePin;
import io.cvmboot.builder.spec.BuildSpec;
import io.cvmboot.builder.spec.BuildSpec.FileRef;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The inputs of one spec: package members (each .deb fetched once, verified against its pin, and
 * read once keeping only the members the spec names) and local files. Every file is read once.
 */
final class SpecInputs implements InputResolver, AutoCloseable {
    private final BuildSpec spec;
    private final LocalFiles local;
    private final PackageFetcher fetcher;
    private final Consumer<String> progress;
    private final Map<String, DebFileTree> packages = new HashMap<>();
    private final Map<FileRef, ResolvedFile> files = new HashMap<>();

    SpecInputs(BuildSpec spec, Path specDir, Path cache, Consumer<String> progress) {
        this.spec = spec;
        this.local = new LocalFiles(specDir);
        this.fetcher = new PackageFetcher(new MirrorSet(URI.create(spec.mirrors().debian()),
                URI.create(spec.mirrors().security())), new DebCache(cache));
        this.progress = progress;
    }

    @Override
    public ResolvedFile file(String role, FileRef ref) throws IOException, BuildInputException {
        ResolvedFile known = files.get(ref);
        if (known != null) {
            return known;
        }
        ResolvedFile f;
        if (ref.file() != null) {
            f = local.file(role, ref);
        } else {
            DebFileTree tree = tree(ref.pkg());
            try {
                f = new ResolvedFile(role, tree.packageLabel() + ":" + ref.path(), tree.read(ref.path()));
            } catch (PackageException e) {
                throw new BuildInputException(role + ": " + e.getMessage(), e);
            }
            LocalFiles.checkPin(role, f, ref.sha256());
        }
        files.put(ref, f);
        return f;
    }

    @Override
    public List<ResolvedFile> directory(String role, FileRef ref) throws IOException, BuildInputException {
        if (ref.file() != null) {
            return local.directory(role, ref);
        }
        DebFileTree tree = tree(ref.pkg());
        List<ResolvedFile> out = new ArrayList<>();
        try {
            for (DebEntry e : tree.under(ref.path())) {
                if (e.isFile()) {
                    out.add(new ResolvedFile(role, tree.packageLabel() + ":" + e.path(), tree.read(e.path())));
                }
            }
        } catch (PackageException e) {
            throw new BuildInputException(role + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new BuildInputException(role + ": package " + tree.packageLabel() + " has no files under " + ref.path());
        }
        return out;
    }

    /** The package behind {@code key}, fetched and read once, with the members the spec uses loaded. */
    private DebFileTree tree(String key) throws IOException, BuildInputException {
        DebFileTree tree = packages.get(key);
        if (tree != null) {
            return tree;
        }
        BuildSpec.PackageSpec p = spec.packages().get(key);
        PackagePin pin;
        try {
            pin = pin(p);
        } catch (IllegalArgumentException e) {
            throw new BuildInputException("packages." + key + ": " + e.getMessage(), e);
        }
        try {
            FetchedPackage fetched = fetcher.fetch(pin, event -> progress.accept(FetchProgressFormatter.format(event)));
            tree = DebArchive.read(fetched, wanted(key)::test).files();
        } catch (PackageException e) {
            throw new BuildInputException(e.getMessage(), e);
        }
        packages.put(key, tree);
        return tree;
    }

    /** Paths of package {@code key} that the spec names (directories: everything below them). */
    private java.util.function.Predicate<String> wanted(String key) {
        Set<String> exact = new HashSet<>();
        List<String> prefixes = new ArrayList<>();
        List<FileRef> refs = new ArrayList<>(List.of());
        for (FileRef r : new FileRef[] {spec.kernel(), spec.firmware(), spec.stub(), spec.busybox()}) {
            if (r != null) {
                refs.add(r);
            }
        }
        spec.kernelModules().forEach(m -> refs.add(m.ref()));
        refs.addAll(spec.libraries());
        if (spec.stage1() != null && spec.stage1().stage2() != null) {
            refs.add(spec.stage1().stage2());
        }
        for (FileRef r : refs) {
            if (key.equals(r.pkg())) {
                exact.add(r.path());
            }
        }
        if (spec.caCertificates() != null && key.equals(spec.caCertificates().pkg())) {
            prefixes.add(spec.caCertificates().path() + "/");
        }
        return path -> exact.contains(path) || prefixes.stream().anyMatch(path::startsWith);
    }

    static PackagePin pin(BuildSpec.PackageSpec p) {
        String file = p.url() != null ? URI.create(p.url()).getPath() : p.path();
        String arch = file.matches(".*_[a-z0-9]+\\.deb") ? file.substring(file.lastIndexOf('_') + 1, file.length() - 4) : "amd64";
        PackageLocation location = p.url() != null
                ? new PackageLocation.Url(URI.create(p.url()))
                : new PackageLocation.Pool(Archive.fromLabel(p.archive()), p.path());
        return PackagePin.of(p.name(), p.version(), arch, p.sha256().toLowerCase(java.util.Locale.ROOT), location);
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
