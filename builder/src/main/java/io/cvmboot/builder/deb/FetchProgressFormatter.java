package io.cvmboot.builder.deb;

import java.util.Locale;

/**
 * One line of text per {@link FetchEvent}, for the CLI's stderr. Download progress is reported at
 * most every {@link PackageFetcher#PROGRESS_STEP} bytes, so a 27 MB kernel gives a handful of lines.
 */
public final class FetchProgressFormatter {
    private FetchProgressFormatter() {}

    public static String format(FetchEvent event) {
        String who = event.pin().name() + " " + event.pin().version();
        return switch (event) {
            case FetchEvent.CacheHit hit -> "package " + who + ": cached, " + size(hit.size()) + ", " + hit.file();
            case FetchEvent.CacheEntryDiscarded bad -> "package " + who + ": cache entry " + bad.file()
                    + " has sha256 " + bad.found().hex() + ", not the pinned one; deleted, downloading again";
            case FetchEvent.DownloadStarted start -> "package " + who + ": downloading " + start.url()
                    + (start.expectedSize() >= 0 ? " (" + size(start.expectedSize()) + ")" : "");
            case FetchEvent.DownloadProgress p -> "package " + who + ": " + size(p.received())
                    + (p.expectedSize() > 0 ? String.format(Locale.ROOT, " of %s (%d%%)", size(p.expectedSize()),
                            p.received() * 100 / p.expectedSize()) : "");
            case FetchEvent.Downloaded done -> "package " + who + ": " + size(done.size()) + ", sha256 "
                    + done.sha256().hex() + " matches the pin";
        };
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return bytes + " bytes";
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
