package io.cvmboot.builder.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses a build spec (YAML, or JSON, which is YAML too) strictly: unknown fields, duplicate keys
 * and wrong types are errors naming the field, and references between fields are checked.
 */
public final class BuildSpecParser {
    /** The spec {@code builder build} uses when none is given. */
    public static final String DEFAULT_SPEC_RESOURCE = "/io/cvmboot/builder/spec/default-spec.yaml";

    static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "xz", "zstd", "lz4");
    static final Set<String> VMM_TYPES = Set.of("QEMU", "ec2", "gce");
    static final Set<String> BANKS = Set.of("sha1", "sha256", "sha384", "sha512");

    private final ObjectMapper mapper;

    public BuildSpecParser() {
        YAMLFactory yaml = new YAMLFactory();
        yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper = new ObjectMapper(yaml)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.registerModule(new SimpleModule("strict-booleans").addDeserializer(Boolean.class, new StrictBoolean()));
    }

    /** The built-in default spec's bytes. */
    public static byte[] defaultSpecBytes() {
        try (InputStream in = BuildSpecParser.class.getResourceAsStream(DEFAULT_SPEC_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("default spec missing from the jar: " + DEFAULT_SPEC_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Parses and validates {@code bytes}; {@code name} is how errors refer to the spec. */
    public BuildSpec parse(String name, byte[] bytes) throws BuildSpecException {
        BuildSpec spec;
        try {
            spec = mapper.readValue(bytes, BuildSpec.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new BuildSpecException(name + ": unknown field '" + path(e) + "'"
                    + (known.isEmpty() ? "" : " (known fields here: " + known + ")"), e);
        } catch (JsonMappingException e) {
            throw new BuildSpecException(name + ": field '" + path(e) + "': " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new BuildSpecException(name + ": not valid YAML/JSON: " + e.getOriginalMessage()
                    + location(e), e);
        } catch (IOException e) {
            throw new BuildSpecException(name + ": cannot read: " + e.getMessage(), e);
        }
        if (spec == null) {
            throw new BuildSpecException(name + ": empty spec");
        }
        new Validator(name, spec).validate();
        return spec;
    }

    /**
     * Booleans (optional, demo, aotCache) only as YAML booleans: Jackson would also take 1 or a quoted
     * "true", which in a spec are more likely mistakes than meant.
     */
    private static final class StrictBoolean extends StdScalarDeserializer<Boolean> {
        StrictBoolean() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_STRING -> ctxt.reportInputMismatch(this, "expected true or false, found '%s'", p.getText());
                case START_ARRAY, START_OBJECT -> ctxt.reportInputMismatch(this, "expected true or false, found a list or mapping");
                default -> ctxt.reportInputMismatch(this, "expected true or false, found %s", p.getText());
            };
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** Cross-field checks; each error names the field. */
    private record Validator(String name, BuildSpec spec) {
        void validate() throws BuildSpecException {
            if (spec.version() != 1) {
                fail("version", "expected 1, found " + spec.version());
            }
            if (spec.sourceDateEpoch() != null && (spec.sourceDateEpoch() < 0 || spec.sourceDateEpoch() > 0xFFFF_FFFFL)) {
                fail("sourceDateEpoch", "must be between 0 and 4294967295 (newc stores 32 bits), found "
                        + spec.sourceDateEpoch());
            }
            for (var e : spec.packages().entrySet()) {
                String f = "packages." + e.getKey();
                BuildSpec.PackageSpec p = e.getValue();
                require(f + ".name", p.name());
                require(f + ".version", p.version());
                sha256(f + ".sha256", p.sha256(), true);
                if ((p.path() == null) == (p.url() == null)) {
                    fail(f, "give exactly one of 'path' (pool path below the mirror) and 'url'");
                }
                if (p.archive() != null && !List.of("debian", "security").contains(p.archive())) {
                    fail(f + ".archive", "expected 'debian' or 'security', found '" + p.archive() + "'");
                }
            }
            fileRef("kernel", spec.kernel(), true);
            fileRef("firmware", spec.firmware(), true);
            fileRef("stub", spec.stub(), true);
            fileRef("busybox", spec.busybox(), false);
            fileRef("caCertificates", spec.caCertificates(), false);
            for (int i = 0; i < spec.kernelModules().size(); i++) {
                fileRef("kernelModules[" + i + "]", spec.kernelModules().get(i).ref(), true);
            }
            for (int i = 0; i < spec.libraries().size(); i++) {
                fileRef("libraries[" + i + "]", spec.libraries().get(i), true);
            }
            require("cmdline", spec.cmdline());
            network(spec.network());
            stage1(spec.stage1());
            BuildSpec.Initrd initrd = spec.initrd();
            if (!COMPRESSIONS.contains(initrd.compression())) {
                fail("initrd.compression", "expected one of " + sorted(COMPRESSIONS) + ", found '"
                        + initrd.compression() + "'");
            }
            for (int i = 0; i < initrd.files().size(); i++) {
                BuildSpec.ExtraFile x = initrd.files().get(i);
                String f = "initrd.files[" + i + "]";
                require(f + ".path", x.path());
                require(f + ".source", x.source());
                sha256(f + ".sha256", x.sha256(), false);
                if (x.mode() != null && !x.mode().matches("0?[0-7]{3,4}")) {
                    fail(f + ".mode", "expected an octal mode such as 0644, found '" + x.mode() + "'");
                }
            }
            BuildSpec.Uki uki = spec.uki();
            if ((uki.signKey() == null) != (uki.signCert() == null)) {
                fail("uki", "signKey and signCert go together");
            }
            for (int i = 0; i < spec.measurements().snp().size(); i++) {
                BuildSpec.SnpTarget t = spec.measurements().snp().get(i);
                String f = "measurements.snp[" + i + "]";
                if (t.vcpus().isEmpty() || t.vcpus().stream().anyMatch(n -> n == null || n < 1)) {
                    fail(f + ".vcpus", "needs one or more positive vCPU counts, found " + t.vcpus());
                }
                if (!VMM_TYPES.contains(t.vmmType())) {
                    fail(f + ".vmmType", "expected one of " + sorted(VMM_TYPES) + ", found '" + t.vmmType() + "'");
                }
                if (!t.guestFeatures().matches("0x[0-9a-fA-F]{1,16}")) {
                    fail(f + ".guestFeatures", "expected a hex value of at most 64 bits such as 0x1, found '"
                            + t.guestFeatures() + "'");
                }
            }
            for (String bank : spec.measurements().tpmBanks()) {
                if (!BANKS.contains(bank)) {
                    fail("measurements.tpmBanks", "expected some of " + sorted(BANKS) + ", found '" + bank + "'");
                }
            }
        }

        private void stage1(BuildSpec.Stage1 s) throws BuildSpecException {
            if (s == null) {
                fail("stage1", "missing: give stage1.config, stage1.configFile or stage1.stage2");
            }
            int given = (s.config() != null ? 1 : 0) + (s.configFile() != null ? 1 : 0)
                    + (s.stage2() != null ? 1 : 0) + (s.demo() ? 1 : 0);
            if (given != 1) {
                fail("stage1", "give exactly one of 'config', 'configFile', 'stage2' and 'demo: true'");
            }
            if (s.demo() && spec.busybox() == null) {
                fail("stage1.demo", "the demo stage2 runs /bin/busybox: give 'busybox'");
            }
            if (s.config() != null && !s.config().isObject()) {
                fail("stage1.config", "must be a JSON object");
            }
            if (s.stage2() != null) {
                fileRef("stage1.stage2", s.stage2(), true);
            }
        }

        private void network(BuildSpec.Network n) throws BuildSpecException {
            boolean dhcp = n.address().equals(BuildSpec.Network.DHCP);
            if (!dhcp && !n.address().matches("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}")) {
                fail("network.address", "expected 'dhcp' or A.B.C.D/PREFIX, found '" + n.address() + "'");
            }
            if (dhcp && (n.gateway() != null || !n.dns().isEmpty())) {
                fail("network", "gateway and dns come from the DHCP lease; give them only with a static address");
            }
            if (n.gateway() != null && !n.gateway().matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
                fail("network.gateway", "expected A.B.C.D, found '" + n.gateway() + "'");
            }
            for (String d : n.dns()) {
                if (!d.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
                    fail("network.dns", "expected A.B.C.D, found '" + d + "'");
                }
            }
        }

        private void fileRef(String field, BuildSpec.FileRef ref, boolean required) throws BuildSpecException {
            if (ref == null) {
                if (required) {
                    fail(field, "missing");
                }
                return;
            }
            boolean fromPackage = ref.pkg() != null;
            if (fromPackage == (ref.file() != null)) {
                fail(field, "give either 'package' + 'path' or 'file' + 'sha256'");
            }
            if (fromPackage) {
                require(field + ".path", ref.path());
                if (!spec.packages().containsKey(ref.pkg())) {
                    fail(field + ".package", "no package '" + ref.pkg() + "' under 'packages' (have: "
                            + String.join(", ", spec.packages().keySet()) + ")");
                }
                sha256(field + ".sha256", ref.sha256(), false);
            } else {
                if (ref.path() != null) {
                    fail(field + ".path", "'path' is for package members; a local file is 'file'");
                }
                sha256(field + ".sha256", ref.sha256(), true);
            }
        }

        private void sha256(String field, String value, boolean required) throws BuildSpecException {
            if (value == null) {
                if (required) {
                    fail(field, "missing (64 hex digits)");
                }
                return;
            }
            if (!value.matches("[0-9a-fA-F]{64}")) {
                fail(field, "expected 64 hex digits, found '" + value + "'");
            }
            HexFormat.of().parseHex(value.toLowerCase(Locale.ROOT));
        }

        private void require(String field, String value) throws BuildSpecException {
            if (value == null || value.isBlank()) {
                fail(field, "missing");
            }
        }

        private void fail(String field, String what) throws BuildSpecException {
            throw new BuildSpecException(name + ": field '" + field + "': " + what);
        }

        private static String sorted(Set<String> s) {
            return s.stream().sorted().collect(Collectors.joining(", "));
        }
    }
}
