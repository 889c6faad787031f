package io.cvmboot.measure.tpm;

import io.cvmboot.measure.MeasureException;
import java.util.List;

/**
 * The Secure Boot variables edk2's Tcg2Dxe measures into PCR 7 at boot (PC Client FP Profile 1.05,
 * 3.3.4.8; edk2 MeasureAllSecureVariables): SecureBoot, PK, KEK, db, dbx in that order, each as
 * EV_EFI_VARIABLE_DRIVER_CONFIG over the whole UEFI_VARIABLE_DATA; absent variables are measured
 * with empty data. SecureBoot is not stored in the VARS file: edk2 derives it at boot.
 */
public record SecureBootVariables(boolean secureBoot, byte[] pk, byte[] kek, byte[] db, byte[] dbx) {
    public SecureBootVariables {
        pk = pk.clone();
        kek = kek.clone();
        db = db.clone();
        dbx = dbx.clone();
    }

    @Override
    public byte[] db() {
        return db.clone();
    }

    /** The variables an OVMF VARS image holds. */
    public static SecureBootVariables from(OvmfVarStore vars) {
        return new SecureBootVariables(vars.secureBootEnabled(),
                vars.get(EfiGuid.GLOBAL_VARIABLE, "PK").orElse(new byte[0]),
                vars.get(EfiGuid.GLOBAL_VARIABLE, "KEK").orElse(new byte[0]),
                vars.get(EfiGuid.IMAGE_SECURITY_DATABASE, "db").orElse(new byte[0]),
                vars.get(EfiGuid.IMAGE_SECURITY_DATABASE, "dbx").orElse(new byte[0]));
    }

    /** The measured structures, in measurement order. */
    public List<UefiVariableData> measured() {
        return List.of(
                new UefiVariableData(EfiGuid.GLOBAL_VARIABLE, "SecureBoot", new byte[] {(byte) (secureBoot ? 1 : 0)}),
                new UefiVariableData(EfiGuid.GLOBAL_VARIABLE, "PK", pk),
                new UefiVariableData(EfiGuid.GLOBAL_VARIABLE, "KEK", kek),
                new UefiVariableData(EfiGuid.IMAGE_SECURITY_DATABASE, "db", db),
                new UefiVariableData(EfiGuid.IMAGE_SECURITY_DATABASE, "dbx", dbx));
    }

    /** The db entries, for finding the one that authorises an image. */
    public List<EfiSignatureList.Entry> dbEntries(String inputName) throws MeasureException {
        return EfiSignatureList.parse(inputName + " db", db);
    }
}
