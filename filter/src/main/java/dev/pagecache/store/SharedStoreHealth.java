package dev.pagecache.store;

/**
 * What a probe of the shared layer found.
 *
 * @param reachable whether the shared servers answered the probe
 * @param breaker the circuit breaker's state: {@code closed} (calls go through), {@code open} (no
 *     call is sent until its cool-down ends) or {@code half-open} (one probe call may go)
 * @param servers the servers probed, as configured
 */
public record SharedStoreHealth(boolean reachable, String breaker, String servers) {}
