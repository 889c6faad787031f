package io.cvmboot.builder.deb;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code Packages} index: which .deb (pool path, size, SHA-256) each package version is.
 * Used to resolve a pin's pool path and, after {@link VerifiedRelease#packagesIndex}, as the link
 * of the signed chain that vouches for a pinned SHA-256.
 */
public final class PackagesIndex {
    private final String name;
    private final Map<String, PackagesEntry> byKey;

    private PackagesIndex(String name, Map<String, PackagesEntry> byKey) {
        this.name = name;
        this.byKey = Map.copyOf(byKey);
    }

    /**
     * Parses an uncompressed Packages file. Only the fields the chain needs are kept, so bookworm's
     * 50 MB main index stays cheap.
     */
    public static PackagesIndex parse(byte[] packages, String name) throws PackageException {
        Map<String, PackagesEntry> entries = new HashMap<>();
        Map<String, String> stanza = new HashMap<>();
        int lineNumber = 0;
        for (String line : new String(packages, StandardCharsets.UTF_8).split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty()) {
                add(entries, stanza, name, lineNumber);
                stanza.clear();
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue; // continuation of a field the chain does not need (Description, ...)
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new PackageException(name + ", line " + lineNumber + ": expected 'Field: value', found '" + line + "'");
            }
            String field = line.substring(0, colon);
            switch (field) {
                case "Package", "Version", "Architecture", "Source", "Filename", "Size", "SHA256" ->
                        stanza.put(field, line.substring(colon + 1).strip());
                default -> { }
            }
        }
        add(entries, stanza, name, lineNumber);
        return new PackagesIndex(name, entries);
    }

    private static void add(Map<String, PackagesEntry> entries, Map<String, String> stanza, String name, int line)
            throws PackageException {
        if (stanza.isEmpty()) {
            return;
        }
        for (String required : List.of("Package", "Version", "Architecture", "Filename", "Size", "SHA256")) {
            if (!stanza.containsKey(required)) {
                throw new PackageException(name + ": the stanza ending at line " + line + " ("
                        + stanza.getOrDefault("Package", "?") + ") has no " + required + " field");
            }
        }
        // "Source: busybox (1:1.35.0-4+deb12u1)": the name is the first word.
        String source = stanza.containsKey("Source") ? stanza.get("Source").split(" ")[0] : stanza.get("Package");
        PackagesEntry entry;
        try {
            entry = new PackagesEntry(stanza.get("Package"), stanza.get("Version"), stanza.get("Architecture"), source,
                    stanza.get("Filename"), Long.parseLong(stanza.get("Size")),
                    Digest.ofHex(HashAlgorithm.SHA256, stanza.get("SHA256")));
        } catch (IllegalArgumentException e) {
            throw new PackageException(name + ": the stanza of " + stanza.get("Package") + " ending at line " + line
                    + " is malformed: " + e.getMessage(), e);
        }
        entries.put(key(entry.name(), entry.version(), entry.arch()), entry);
    }

    private static String key(String name, String version, String arch) {
        return name + " " + version + " " + arch;
    }

    public int size() {
        return byKey.size();
    }

    public Optional<PackagesEntry> find(String name, String version, String arch) {
        return Optional.ofNullable(byKey.get(key(name, version, arch)));
    }

    /**
     * The index entry of a pinned package, checked against the pin: same SHA-256 and, when the pin
     * names a pool path, the same path.
     */
    public PackagesEntry requireMatch(PackagePin pin) throws PackageException {
        PackagesEntry entry = find(pin.name(), pin.version(), pin.arch()).orElseThrow(() -> new PackageException(
                name + " has no package " + pin.label()));
        if (!entry.sha256().equals(pin.sha256())) {
            throw new PackageException("package " + pin.label() + " is pinned to sha256 " + pin.sha256().hex()
                    + " but " + name + " lists sha256 " + entry.sha256().hex());
        }
        if (pin.location() instanceof PackageLocation.Pool pool && !pool.path().equals(entry.filename())) {
            throw new PackageException("package " + pin.label() + " is pinned at " + pool.path() + " but " + name
                    + " lists it at " + entry.filename());
        }
        return entry;
    }
}
