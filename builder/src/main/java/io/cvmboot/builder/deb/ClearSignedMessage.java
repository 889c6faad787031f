package io.cvmboot.builder.deb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * A cleartext-signed message (RFC 4880 section 7), the format of Debian's InRelease files.
 *
 * <p>Parsed by hand rather than with Bouncy Castle's {@code ArmoredInputStream} clear-text mode:
 * that stream hands out the first '-' of the signature armor as message text, and the signed bytes
 * are then wrong for every signature. Here the structure is checked strictly (nothing before the
 * header, nothing but blank lines after the signature), so no unsigned text can ride along.
 *
 * @param signedText the canonical text the signatures cover: dash-escapes removed, trailing spaces
 *     and tabs removed from every line, lines joined by CRLF, no final line break (RFC 4880, 7.1)
 * @param text the message as the sender wrote it (dash-escapes removed, LF line ends), for parsing
 * @param signatures every signature in the armored block
 */
record ClearSignedMessage(byte[] signedText, String text, List<PGPSignature> signatures) {
    private static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
    private static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";

    static ClearSignedMessage parse(byte[] bytes, String what) throws PackageException {
        // ISO-8859-1 maps bytes 1:1 to chars, so the signed bytes are reproduced exactly.
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1);
        int i = 0;
        if (!stripCr(lines[i]).equals(BEGIN_MESSAGE)) {
            throw new PackageException(what + " is not clear-signed: first line is not '" + BEGIN_MESSAGE + "'");
        }
        for (i++; i < lines.length && !stripCr(lines[i]).isEmpty(); i++) {
            if (!stripCr(lines[i]).startsWith("Hash: ")) {
                throw new PackageException(what + ": unexpected armor header '" + stripCr(lines[i]) + "'");
            }
        }
        List<String> message = new ArrayList<>();
        for (i++; i < lines.length && !stripCr(lines[i]).equals(BEGIN_SIGNATURE); i++) {
            String line = stripCr(lines[i]);
            if (line.startsWith("- ")) {
                line = line.substring(2);
            } else if (line.startsWith("-")) {
                throw new PackageException(what + ", line " + (i + 1) + ": a line starting with '-' is not dash-escaped");
            }
            message.add(line);
        }
        if (i >= lines.length) {
            throw new PackageException(what + " has no '" + BEGIN_SIGNATURE + "' line");
        }
        StringBuilder armor = new StringBuilder();
        for (; i < lines.length; i++) {
            armor.append(stripCr(lines[i])).append('\n');
            if (stripCr(lines[i]).equals(END_SIGNATURE)) {
                break;
            }
        }
        if (i >= lines.length) {
            throw new PackageException(what + " has no '" + END_SIGNATURE + "' line");
        }
        for (i++; i < lines.length; i++) {
            if (!stripCr(lines[i]).isBlank()) {
                throw new PackageException(what + ", line " + (i + 1) + ": text after the signature");
            }
        }
        List<String> canonical = message.stream().map(ClearSignedMessage::stripTrailingBlanks).toList();
        byte[] signed = String.join("\r\n", canonical).getBytes(StandardCharsets.ISO_8859_1);
        String text = new String(String.join("\n", message).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new ClearSignedMessage(signed, text, signatures(armor.toString(), what));
    }

    private static List<PGPSignature> signatures(String armor, String what) throws PackageException {
        List<PGPSignature> out = new ArrayList<>();
        try (InputStream in = new ArmoredInputStream(new ByteArrayInputStream(armor.getBytes(StandardCharsets.US_ASCII)))) {
            var factory = new BcPGPObjectFactory(in);
            for (Object o = factory.nextObject(); o != null; o = factory.nextObject()) {
                if (!(o instanceof PGPSignatureList list)) {
                    throw new PackageException(what + ": the signature block holds a " + o.getClass().getSimpleName()
                            + ", expected signatures only");
                }
                list.forEach(out::add);
            }
        } catch (IOException | RuntimeException e) {
            throw new PackageException(what + ": the signature block is not valid OpenPGP: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new PackageException(what + ": the signature block holds no signature");
        }
        return List.copyOf(out);
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static String stripTrailingBlanks(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }
}
