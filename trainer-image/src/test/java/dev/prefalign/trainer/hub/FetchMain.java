package dev.prefalign.trainer.hub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A second process for {@link HubFetcherTest}: fetches {@code args[2]} from {@code args[0]} into {@code args[1]}. */
public final class FetchMain {
    private FetchMain() {
    }

    public static void main(String[] args) throws Exception {
        HubSettings settings = HubSettings.of(args[0], null).withRetries(1, Duration.ofMillis(1), Duration.ofMillis(1));
        FetchResult result = new HubFetcher(new HubClient(settings)).fetch(HubSource.parse(args[2]), Path.of(args[1]),
                List.of());
        System.out.println("bytes " + result.bytesDownloaded());
    }
}
