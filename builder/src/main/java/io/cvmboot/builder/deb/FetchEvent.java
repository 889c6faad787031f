package io.cvmboot.builder.deb;

import io.cvmboot.measure.Digest;
import java.net.URI;
import java.nio.file.Path;

/**
 * What {@link PackageFetcher} reports while it works. The library never prints; the CLI turns these
 * into progress lines on stderr ({@link FetchProgressFormatter}).
 */
public sealed interface FetchEvent {
    PackagePin pin();

    /** The pinned file was already in the cache and still has the pinned digest. */
    record CacheHit(PackagePin pin, Path file, long size) implements FetchEvent {}

    /** A cache entry no longer had its pinned digest (edited or damaged) and was deleted; it is downloaded again. */
    record CacheEntryDiscarded(PackagePin pin, Path file, Digest found) implements FetchEvent {}

    /** @param expectedSize the announced Content-Length, or -1 when the mirror sends none */
    record DownloadStarted(PackagePin pin, URI url, long expectedSize) implements FetchEvent {}

    /** Emitted every {@link PackageFetcher#PROGRESS_STEP} bytes. */
    record DownloadProgress(PackagePin pin, long received, long expectedSize) implements FetchEvent {}

    /** The download matched its pin and is now in the cache. */
    record Downloaded(PackagePin pin, Path file, long size, Digest sha256) implements FetchEvent {}
}
