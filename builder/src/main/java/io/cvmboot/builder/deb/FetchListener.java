package io.cvmboot.builder.deb;

/** Receives {@link FetchEvent}s; called on the fetching thread. */
@FunctionalInterface
public interface FetchListener {
    FetchListener NONE = event -> {};

    void on(FetchEvent event);
}
