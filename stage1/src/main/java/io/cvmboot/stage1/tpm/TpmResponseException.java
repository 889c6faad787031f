package io.cvmboot.stage1.tpm;

import java.io.IOException;
import java.util.Locale;

/** The TPM refused a command; {@link #responseCode()} is the TPM_RC (TPM 2.0 Library Part 2, 6.6). */
public final class TpmResponseException extends IOException {
    private final int responseCode;

    public TpmResponseException(String command, int responseCode) {
        super(String.format(Locale.ROOT, "%s: TPM returned response code 0x%03X%s", command, responseCode,
                explain(responseCode)));
        this.responseCode = responseCode;
    }

    public int responseCode() {
        return responseCode;
    }

    /** TPM_RC_HANDLE (0x8B) with any handle/parameter number: the object or NV index does not exist. */
    public boolean isHandleError() {
        return (responseCode & 0x80) != 0 && (responseCode & 0x3F) == 0x0B;
    }

    private static String explain(int rc) {
        if ((rc & 0x80) != 0) {
            int n = rc & 0x3F;
            return switch (n) {
                case 0x0B -> " (TPM_RC_HANDLE: no such handle)";
                case 0x02 -> " (TPM_RC_HASH: hash algorithm not supported)";
                case 0x0E -> " (TPM_RC_AUTH_FAIL)";
                default -> "";
            };
        }
        return switch (rc) {
            case 0x100 -> " (TPM_RC_INITIALIZE: TPM2_Startup missing)";
            case 0x149 -> " (TPM_RC_NV_AUTHORIZATION / NV read not allowed)";
            case 0x14C -> " (TPM_RC_NV_UNINITIALIZED)";
            case 0x902 -> " (TPM_RC_OBJECT_MEMORY)";
            case 0x922 -> " (TPM_RC_RETRY)";
            default -> "";
        };
    }
}
