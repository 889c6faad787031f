package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.pe.Authenticode;
import io.cvmboot.measure.pe.PeImage;
import io.cvmboot.measure.stage1.Stage1Pcrs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Predicts the PCRs of a UKI booted by OVMF from the ESP as the boot option (no shim, no
 * systemd-boot), with the kernel's EFI stub measuring its LoadOptions and initrd. The algorithm per
 * PCR is in docs/pcr.md; every rule was checked against QEMU + OVMF + swtpm boots. What the inputs
 * cannot determine is reported as not predicted, never guessed.
 */
public final class UkiBootPredictor {
    /** edk2 BDS, before starting a boot option (PC Client FP Profile 1.05, 3.3.4.5; edk2 EFI_CALLING_EFI_APPLICATION). */
    static final String CALLING_EFI_APPLICATION = "Calling EFI Application from Boot Option";
    /** EV_SEPARATOR data for a successful pre-OS phase (PC Client FP Profile 1.05, 3.3.2.2): four zero bytes. */
    static final byte[] SEPARATOR = new byte[4];
    /** Linux drivers/firmware/efi/libstub: tagged event ids of the kernel's PCR 9 measurements. */
    static final long LINUX_EVENT_ID_LOAD_OPTIONS = 0x8F3B22EDL;
    static final long LINUX_EVENT_ID_INITRD = 0x8F3B22ECL;
    static final String LINUX_LOAD_OPTIONS_LABEL = "LOADED_IMAGE::LoadOptions";
    static final String LINUX_INITRD_LABEL = "Linux initrd";
    /** The first kernel release whose EFI stub measures both its LoadOptions and its initrd into PCR 9 (checked: 6.1). */
    static final int[] KERNEL_WITH_PCR9_EVENTS = {6, 1};
    /** PCRs only the firmware (and the platform's VM definition) determine. */
    static final List<Integer> FIRMWARE_PCRS = List.of(0, 1, 2, 3, 5, 6);
    static final int PCR_BOOT_CODE = 4;
    static final int PCR_SECURE_BOOT = 7;
    static final int PCR_KERNEL_STUB = 9;
    static final int PCR_KERNEL_IMAGE = 11;
    static final int PCR_KERNEL_PARAMETERS = 12;
    static final int PCR_SYSEXTS = 13;

    /** The archives systemd-stub generates from ESP drop-ins (empty arrays when there are none). */
    record DropIns(byte[] credentials, byte[] globalCredentials, byte[] sysexts) {
        static final DropIns NONE = new DropIns(new byte[0], new byte[0], new byte[0]);
    }

    private UkiBootPredictor() {}

    public static PcrPrediction predict(UkiBootInputs in) throws MeasureException {
        List<HashAlgorithm> banks = in.banks();
        PeImage uki = PeImage.parse(in.ukiName(), in.uki());
        SystemdStubVersion stub = stubVersion(uki, in.systemdVersion());
        StubGeneration generation = StubGeneration.forMajor(stub.major(), in.ukiName());
        UkiSections sections = UkiSections.resolve(uki, generation);
        byte[] linux = sections.get(".linux").orElseThrow(() -> new MeasureException(in.ukiName()
                + ": no .linux section (or an empty one): a UKI must embed the kernel; sections found: "
                + uki.sections().stream().map(s -> s.name()).toList()));
        PeImage kernel = kernelImage(in.ukiName(), linux);
        if (sections.has(".dtbauto")) {
            throw new MeasureException(in.ukiName() + ": .dtbauto sections are measured only when they match the"
                    + " machine's devicetree, which this predictor does not model");
        }

        List<String> assumptions = new ArrayList<>();
        SortedSet<Integer> predicted = new TreeSet<>();
        SortedMap<Integer, String> notPredicted = new TreeMap<>();
        List<PredictedEvent> events = new ArrayList<>();
        boolean secureBoot = secureBootState(in, assumptions);

        // PCR 4: BDS action and separator, the UKI, and (Secure Boot off) the kernel the stub LoadImage()s.
        // With QEMU -kernel, OVMF loads (and measures) the UKI before ReadyToBoot, so its event comes first.
        predicted.add(PCR_BOOT_CODE);
        PredictedEvent ukiEvent = PredictedEvent.of(PCR_BOOT_CODE, TcgEventType.EV_EFI_BOOT_SERVICES_APPLICATION, banks,
                bank -> Authenticode.digest(uki, bank), "Authenticode digest of the UKI " + in.ukiName());
        if (in.qemuKernelBoot()) {
            events.add(ukiEvent);
        }
        events.add(PredictedEvent.hashOf(PCR_BOOT_CODE, TcgEventType.EV_EFI_ACTION, banks,
                CALLING_EFI_APPLICATION.getBytes(StandardCharsets.US_ASCII), "\"" + CALLING_EFI_APPLICATION + "\""));
        events.add(PredictedEvent.hashOf(PCR_BOOT_CODE, TcgEventType.EV_SEPARATOR, banks, SEPARATOR, "separator"));
        if (!in.qemuKernelBoot()) {
            events.add(ukiEvent);
        }
        if (!secureBoot) {
            // Under Secure Boot the stub's own security override bypasses edk2's measure-boot hook.
            events.add(PredictedEvent.of(PCR_BOOT_CODE, TcgEventType.EV_EFI_BOOT_SERVICES_APPLICATION, banks,
                    bank -> Authenticode.digest(kernel, bank), "Authenticode digest of .linux (in-memory bytes)"));
        }
        assumptions.add(in.qemuKernelBoot()
                ? "the UKI is booted with QEMU -kernel by OVMF (no shim, no systemd-boot, no PE addons)"
                : "the UKI is started by the firmware's boot manager from the ESP (no shim, no systemd-boot, no PE addons)");

        secureBootEvents(in, uki, secureBoot, banks, predicted, notPredicted, events);

        // PCR 11: section names and contents in the stub's fixed order.
        predicted.add(PCR_KERNEL_IMAGE);
        for (String name : generation.measuredSections()) {
            Optional<byte[]> bytes = sections.get(name);
            if (bytes.isEmpty()) {
                continue;
            }
            events.add(PredictedEvent.hashOf(PCR_KERNEL_IMAGE, TcgEventType.EV_IPL, banks, asciiz(name),
                    "systemd-stub: section name " + name));
            events.add(PredictedEvent.hashOf(PCR_KERNEL_IMAGE, TcgEventType.EV_IPL, banks, bytes.get(),
                    "systemd-stub: section " + name + " (" + bytes.get().length + " bytes)"));
        }

        // PCR 12: LoadOptions the stub accepts; credentials and addons on the ESP are assumed absent.
        predicted.add(PCR_KERNEL_PARAMETERS);
        String cmdline = null;
        if (in.loadOptions().isPresent() && (!secureBoot || !sections.has(".cmdline"))) {
            if (generation == StubGeneration.V257 && in.loadOptions().get().startsWith("@")) {
                throw new MeasureException("load options '" + in.loadOptions().get() + "' select a UKI profile,"
                        + " which this predictor does not model");
            }
            cmdline = StubCmdline.mangle(in.loadOptions().get());
            events.add(PredictedEvent.hashOf(PCR_KERNEL_PARAMETERS, TcgEventType.EV_IPL, banks,
                    StubCmdline.loadOptions(cmdline), "systemd-stub: command line from LoadOptions \"" + cmdline + "\""));
        } else if (sections.has(".cmdline")) {
            cmdline = StubCmdline.fromSection(in.ukiName(), sections.get(".cmdline").orElseThrow());
        }
        // PCR 12 and 13: the drop-in archives, measured after the command line (stub order).
        EspExtras extras = in.espExtras();
        extras.requireModelled(generation);
        DropIns dropIns = new DropIns(
                StubCpio.dropIn(".extra/credentials", 0500, 0400, extras.credentials()),
                StubCpio.dropIn(".extra/global_credentials", 0500, 0400, extras.globals()),
                StubCpio.dropIn(".extra/sysext", 0555, 0444, extras.sysexts(generation)));
        if (dropIns.credentials().length > 0) {
            events.add(PredictedEvent.hashOf(PCR_KERNEL_PARAMETERS, TcgEventType.EV_IPL, banks, dropIns.credentials(),
                    "systemd-stub: Credentials initrd " + extras.credentials().keySet()));
        }
        if (dropIns.globalCredentials().length > 0) {
            events.add(PredictedEvent.hashOf(PCR_KERNEL_PARAMETERS, TcgEventType.EV_IPL, banks, dropIns.globalCredentials(),
                    "systemd-stub: Global credentials initrd " + extras.globals().keySet()));
        }
        predicted.add(PCR_SYSEXTS);
        if (dropIns.sysexts().length > 0) {
            events.add(PredictedEvent.hashOf(PCR_SYSEXTS, TcgEventType.EV_IPL, banks, dropIns.sysexts(),
                    "systemd-stub: System extension initrd " + extras.sysexts(generation).keySet()));
        }
        assumptions.add(extras.isEmpty()
                ? "no credentials, sysexts, confexts or addons next to the UKI or in \\loader on the ESP"
                : "the ESP holds exactly the given drop-in files next to the UKI and in \\loader\\credentials");

        // PCR 9: the kernel's EFI stub measures the command line it got and the initrd it loaded.
        Optional<LinuxKernelVersion> kernelVersion = LinuxKernelVersion.of(linux);
        if (kernelVersion.isEmpty() || !kernelVersion.get().atLeast(KERNEL_WITH_PCR9_EVENTS[0], KERNEL_WITH_PCR9_EVENTS[1])) {
            notPredicted.put(PCR_KERNEL_STUB, "kernel " + kernelVersion.map(LinuxKernelVersion::release).orElse("of unknown version")
                    + ": only Linux >= 6.1 is known to measure LoadOptions and initrd");
        } else {
            predicted.add(PCR_KERNEL_STUB);
            if (cmdline != null) {
                String shown = cmdline;
                events.add(PredictedEvent.hashOf(PCR_KERNEL_STUB, TcgEventType.EV_EVENT_TAG, banks,
                        StubCmdline.loadOptions(cmdline), "Linux: " + LINUX_LOAD_OPTIONS_LABEL + " \"" + shown + "\""));
            }
            byte[] initrd = combinedInitrd(generation, sections, dropIns);
            if (initrd.length > 0) {
                events.add(PredictedEvent.hashOf(PCR_KERNEL_STUB, TcgEventType.EV_EVENT_TAG, banks, initrd,
                        "Linux: " + LINUX_INITRD_LABEL + " (" + initrd.length + " bytes as handed over by systemd-stub)"));
            }
        }

        stage1Events(in, banks, predicted, notPredicted, events);
        firmwareEvents(in, banks, predicted, notPredicted, events);
        notPredicted.putIfAbsent(8, "not modelled (systemd-stub built without the PCR 8 compatibility option leaves it zero)");
        notPredicted.putIfAbsent(10, "extended by the OS (IMA)");

        List<PredictedEvent> ordered = new ArrayList<>(events);
        ordered.sort(java.util.Comparator.comparingInt(PredictedEvent::pcr)); // stable: log order within a PCR
        return new PcrPrediction(banks, stub, secureBoot, predicted, ordered, notPredicted, assumptions);
    }

    private static SystemdStubVersion stubVersion(PeImage uki, Optional<Integer> override) throws MeasureException {
        Optional<SystemdStubVersion> detected = SystemdStubVersion.detect(uki);
        if (override.isPresent()) {
            return new SystemdStubVersion(override.get(), detected.map(d -> d.text() + ", treated as " + override.get())
                    .orElse(override.get() + " (given)"));
        }
        return detected.orElseThrow(() -> new MeasureException(uki.inputName() + ": no .sdmagic section, so the"
                + " systemd-stub version is unknown; give it explicitly (--systemd-version)"));
    }

    private static PeImage kernelImage(String ukiName, byte[] linux) throws MeasureException {
        PeImage kernel;
        try {
            kernel = PeImage.parse(ukiName + " .linux", linux);
        } catch (MeasureException e) {
            throw new MeasureException(ukiName + ": .linux is not a PE kernel with an EFI stub: " + e.getMessage(), e);
        }
        if (kernel.optionalHeader().majorImageVersion() < 1) {
            // systemd-stub then uses the legacy EFI handover protocol: no LoadImage, no PCR 4/9 kernel events.
            throw new MeasureException(ukiName + ": .linux has PE MajorImageVersion 0 (a kernel before 5.8 started via"
                    + " the EFI handover protocol); that boot path is not modelled");
        }
        return kernel;
    }

    private static boolean secureBootState(UkiBootInputs in, List<String> assumptions) throws MeasureException {
        Optional<Boolean> fromVars = in.vars().map(OvmfVarStore::secureBootEnabled);
        Optional<Boolean> fromLog = in.referenceLog().flatMap(UkiBootPredictor::secureBootFromLog);
        Optional<Boolean> derived = fromVars.isPresent() ? fromVars : fromLog;
        if (in.secureBoot().isPresent() && derived.isPresent() && !in.secureBoot().equals(derived)) {
            throw new MeasureException("Secure Boot was given as " + onOff(in.secureBoot().get()) + ", but the "
                    + (fromVars.isPresent() ? "VARS file (PK enrolled: " + onOff(derived.get()) + ")" : "reference log")
                    + " says it is " + onOff(derived.get()));
        }
        if (in.secureBoot().isPresent()) {
            return in.secureBoot().get();
        }
        if (derived.isPresent()) {
            return derived.get();
        }
        assumptions.add("Secure Boot is off (neither given nor derivable from a VARS file or reference log)");
        return false;
    }

    private static Optional<Boolean> secureBootFromLog(EventLog log) {
        for (TcgEvent e : log.eventsFor(PCR_SECURE_BOOT)) {
            if (e.eventType() != TcgEventType.EV_EFI_VARIABLE_DRIVER_CONFIG) {
                continue;
            }
            try {
                UefiVariableData v = UefiVariableData.decode("reference log", e.data());
                if (v.vendor().equals(EfiGuid.GLOBAL_VARIABLE) && v.name().equals("SecureBoot") && v.data().length == 1) {
                    return Optional.of(v.data()[0] == 1);
                }
            } catch (MeasureException malformed) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static void secureBootEvents(UkiBootInputs in, PeImage uki, boolean secureBoot, List<HashAlgorithm> banks,
            SortedSet<Integer> predicted, SortedMap<Integer, String> notPredicted, List<PredictedEvent> events)
            throws MeasureException {
        SecureBootVariables variables;
        List<PredictedEvent> config = new ArrayList<>();
        if (in.vars().isPresent()) {
            variables = SecureBootVariables.from(in.vars().get());
            for (UefiVariableData v : variables.measured()) {
                config.add(PredictedEvent.hashOf(PCR_SECURE_BOOT, TcgEventType.EV_EFI_VARIABLE_DRIVER_CONFIG, banks,
                        v.encode(), "Secure Boot variable " + v.name() + " (" + v.data().length + " bytes)"));
            }
            config.add(PredictedEvent.hashOf(PCR_SECURE_BOOT, TcgEventType.EV_SEPARATOR, banks, SEPARATOR, "separator"));
        } else if (in.referenceLog().isPresent() && secureBootFromLog(in.referenceLog().get()).isPresent()) {
            byte[] db = new byte[0];
            for (TcgEvent e : in.referenceLog().get().eventsFor(PCR_SECURE_BOOT)) {
                config.add(copied(e, banks, "reference log"));
                if (e.eventType() == TcgEventType.EV_EFI_VARIABLE_DRIVER_CONFIG) {
                    UefiVariableData v = UefiVariableData.decode("reference log event " + e.index(), e.data());
                    if (v.vendor().equals(EfiGuid.IMAGE_SECURITY_DATABASE) && v.name().equals("db")) {
                        db = v.data();
                    }
                }
                if (e.eventType() == TcgEventType.EV_SEPARATOR) {
                    break; // what follows (authority events) belongs to the images that platform booted
                }
            }
            variables = new SecureBootVariables(secureBoot, new byte[0], new byte[0], db, new byte[0]);
        } else {
            notPredicted.put(PCR_SECURE_BOOT, "needs the platform's Secure Boot variables: give --vars or --reference-log");
            return;
        }
        if (secureBoot) {
            String source = in.vars().isPresent() ? "VARS" : "reference log";
            EfiSignatureList.Entry authority = ImageAuthority.find(uki, variables.dbEntries(source)).orElseThrow(
                    () -> new MeasureException(in.ukiName() + ": Secure Boot is on but no db entry in the " + source
                            + " authorises this UKI (" + (uki.isSigned() ? "signed by a key not in db" : "it is not signed")
                            + "): the firmware would refuse to start it"));
            UefiVariableData event = new UefiVariableData(EfiGuid.IMAGE_SECURITY_DATABASE, "db", authority.entry());
            config.add(PredictedEvent.hashOf(PCR_SECURE_BOOT, TcgEventType.EV_EFI_VARIABLE_AUTHORITY, banks, event.encode(),
                    "db entry authorising the UKI (owner " + authority.owner() + ")"));
        }
        predicted.add(PCR_SECURE_BOOT);
        events.addAll(config);
    }

    /**
     * The initrd systemd-stub hands to the kernel: for 252/254 the .initrd section, followed (after
     * padding it to 4) by the generated cpio archives if there are any; for 257 every part padded to
     * 4 when there is more than one part.
     */
    static byte[] combinedInitrd(StubGeneration generation, UkiSections sections, DropIns dropIns) {
        List<byte[]> parts = new ArrayList<>();
        if (generation == StubGeneration.V257) {
            sections.get(".ucode").ifPresent(parts::add);
        }
        Optional<byte[]> initrd = sections.get(".initrd");
        initrd.ifPresent(parts::add);
        List<byte[]> generated = new ArrayList<>();
        for (byte[] archive : List.of(dropIns.credentials(), dropIns.globalCredentials(), dropIns.sysexts())) {
            if (archive.length > 0) {
                generated.add(archive);
            }
        }
        sections.get(StubGeneration.PCRSIG).ifPresent(b -> generated.add(StubCpio.extraFile("tpm2-pcr-signature.json", b)));
        sections.get(".pcrpkey").ifPresent(b -> generated.add(StubCpio.extraFile("tpm2-pcr-public-key.pem", b)));
        if (generation == StubGeneration.V257) {
            sections.get(".osrel").ifPresent(b -> generated.add(StubCpio.extraFile("os-release", b)));
            sections.get(".profile").ifPresent(b -> generated.add(StubCpio.extraFile("profile", b)));
        }
        parts.addAll(generated);
        boolean pad = generation.padsEveryInitrd() ? parts.size() > 1 : !generated.isEmpty();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
            if (pad) {
                while (out.size() % 4 != 0) {
                    out.write(0);
                }
            }
        }
        return out.toByteArray();
    }

    private static void stage1Events(UkiBootInputs in, List<HashAlgorithm> banks, SortedSet<Integer> predicted,
            SortedMap<Integer, String> notPredicted, List<PredictedEvent> events) {
        if (in.stage2().isEmpty()) {
            String why = "stage1 inputs not given (stage2 binary and config); zero until stage1 runs";
            notPredicted.put(Stage1Pcrs.STAGE2_PCR, why);
            notPredicted.put(Stage1Pcrs.CONFIG_PCR, why);
            return;
        }
        byte[] stage2 = in.stage2().get();
        byte[] config = in.config().orElseThrow();
        predicted.add(Stage1Pcrs.STAGE2_PCR);
        predicted.add(Stage1Pcrs.CONFIG_PCR);
        Map<HashAlgorithm, Digest> s = new EnumMap<>(HashAlgorithm.class);
        Map<HashAlgorithm, Digest> c = new EnumMap<>(HashAlgorithm.class);
        for (HashAlgorithm bank : banks) {
            s.put(bank, Stage1Pcrs.eventDigest(bank, stage2));
            c.put(bank, Stage1Pcrs.eventDigest(bank, config));
        }
        events.add(new PredictedEvent(Stage1Pcrs.STAGE2_PCR, TcgEventType.EV_IPL, s,
                "stage1: H(stage2 binary, " + stage2.length + " bytes), extended by stage1 with TPM2_PCR_Extend (not in the firmware log)"));
        events.add(new PredictedEvent(Stage1Pcrs.CONFIG_PCR, TcgEventType.EV_IPL, c,
                "stage1: H(config, " + config.length + " bytes), extended by stage1 with TPM2_PCR_Extend (not in the firmware log)"));
    }

    private static void firmwareEvents(UkiBootInputs in, List<HashAlgorithm> banks, SortedSet<Integer> predicted,
            SortedMap<Integer, String> notPredicted, List<PredictedEvent> events) throws MeasureException {
        if (in.referenceLog().isEmpty()) {
            for (int pcr : FIRMWARE_PCRS) {
                notPredicted.put(pcr, "firmware-only: give --reference-log from the target platform");
            }
            return;
        }
        EventLog log = in.referenceLog().get();
        for (HashAlgorithm bank : banks) {
            if (!log.banks().contains(bank)) {
                throw new MeasureException("reference log has no " + bank.label() + " bank (it has "
                        + log.banks().stream().map(HashAlgorithm::label).toList() + ")");
            }
        }
        boolean lateLocality = log.events().stream().anyMatch(e -> !e.isExtended()
                && EventLogReplay.startupLocality(e).map(l -> l != 0).orElse(false));
        for (int pcr : FIRMWARE_PCRS) {
            if (pcr == 0 && lateLocality) {
                notPredicted.put(pcr, "reference log starts PCR 0 at a non-zero locality");
                continue;
            }
            predicted.add(pcr);
            for (TcgEvent e : log.eventsFor(pcr)) {
                events.add(copied(e, banks, "reference log"));
            }
        }
    }

    private static PredictedEvent copied(TcgEvent e, List<HashAlgorithm> banks, String source) throws MeasureException {
        Map<HashAlgorithm, Digest> d = new EnumMap<>(HashAlgorithm.class);
        for (HashAlgorithm bank : banks) {
            d.put(bank, e.digest(bank).orElseThrow(() -> new MeasureException(source + " event " + e.index()
                    + " has no " + bank.label() + " digest")));
        }
        return new PredictedEvent(e.pcr(), e.eventType(), d, source + " event " + e.index() + ": " + EventDescription.of(e));
    }

    private static byte[] asciiz(String s) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(a, a.length + 1);
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }
}
