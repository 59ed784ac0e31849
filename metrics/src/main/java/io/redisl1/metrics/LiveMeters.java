package io.redisl1.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Store;
import io.redisl1.store.tracking.ChannelStatus;
import io.redisl1.store.tracking.InvalidationChannels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The meters whose set changes while the application runs: one set per caching rule (a reload may
 * add, drop or turn off rules) and one per Redis endpoint's invalidation channel (endpoints are
 * found as the application connects). {@link #refresh} brings the registry in line; the endpoint
 * calls it before each scrape, so it costs nothing between scrapes and nothing on the hit path.
 */
public final class LiveMeters {
  private final MeterRegistry registry;
  private final L1Runtime started;
  private final InvalidationChannels channels;
  private final RuleMeterSet rules;
  /** Endpoints whose meters exist; guarded by this. */
  private final Set<String> endpoints = new HashSet<>();
  /** The channels' state as of the last refresh, which the endpoint meters read. */
  private volatile Map<String, ChannelStatus> latest = Map.of();

  LiveMeters(MeterRegistry registry, L1Runtime started, InvalidationChannels channels) {
    this.registry = registry;
    this.started = started;
    this.channels = channels;
    this.rules = new RuleMeterSet(new MeterSink() {
      @Override
      public Object register(Figure figure) {
        return L1Meters.register(registry, figure);
      }

      @Override
      public void remove(Object meter) {
        registry.remove((Meter) meter);
      }
    }, started);
    started.store().timeHits(true); // histograms() renders the sample from now on
  }

  /** Registers the meters of rules and endpoints that appeared, removes those of rules gone. */
  public synchronized void refresh() {
    try {
      rules.refresh();
    } catch (ReflectiveOperationException impossible) {
      throw new IllegalStateException(impossible); // our own registry is not reached by reflection
    }
    refreshEndpoints();
  }

  /**
   * The histograms the store counts itself, in Prometheus text to append to a scrape: the round
   * trip of GETs that missed (sent to reply), and a sample of hits (the store's own lookup only).
   */
  public String histograms() {
    return HistogramText.render("redisl1_get_miss_latency_seconds",
            "GETs of cached keys that went to Redis (misses), from sent to their reply",
            started.store().stats().missLatency())
        + HistogramText.render("redisl1_get_hit_latency_seconds",
            "A sample of GETs answered by the L1 (one lookup in " + L1Store.HIT_TIMING_PERIOD + " per thread is timed;"
                + " _count is the hits timed, not the hits): the L1's own lookup, from its map probe to the hit"
                + " counted, not the endpoint check before it nor the client's work around it (the intercepted"
                + " call, building the reply)",
            started.store().stats().hitLatency());
  }

  private void refreshEndpoints() {
    if (channels == null) {
      return;
    }
    Map<String, ChannelStatus> statuses = new HashMap<>();
    for (ChannelStatus status : channels.statuses()) {
      statuses.put(status.endpoint(), status);
    }
    latest = statuses;
    for (String endpoint : statuses.keySet()) {
      if (endpoints.add(endpoint)) {
        registerEndpoint(endpoint);
      }
    }
  }

  private void registerEndpoint(String endpoint) {
    String[] tags = {"endpoint", endpoint};
    Gauge.builder("redisl1.invalidation.channel.confirmed", this, m -> m.read(endpoint, s -> s.confirmed() ? 1 : 0))
        .tags(tags)
        .description("1 while the endpoint's invalidation channel is confirmed and the L1 serves it; 0 while"
            + " connecting, reconnecting or without a channel")
        .register(registry);
    for (String state : new String[] {ChannelStatus.CONNECTING, ChannelStatus.CONFIRMED,
        ChannelStatus.CONFIRMED_PING_ONLY, ChannelStatus.RECONNECTING, ChannelStatus.NO_CHANNEL, ChannelStatus.CLOSED}) {
      Gauge.builder("redisl1.invalidation.channel.state", this, m -> m.read(endpoint, s -> s.state().equals(state) ? 1 : 0))
          .tags("endpoint", endpoint, "state", state)
          .description("1 for the state the endpoint's invalidation channel is in, 0 for the others")
          .register(registry);
    }
    FunctionCounter.builder("redisl1.invalidation.channel.losses", this, m -> m.read(endpoint, ChannelStatus::losses))
        .tags(tags)
        .description("Times the channel was lost (connection ended, canary not back in time); each flushed the endpoint")
        .register(registry);
    FunctionCounter.builder("redisl1.invalidation.messages", this, m -> m.read(endpoint, ChannelStatus::invalidationsReceived))
        .tags(tags)
        .description("Invalidation messages received on the channel (canaries and echoes of this JVM's writes included)")
        .register(registry);
    FunctionTimer.builder("redisl1.invalidation.canary.round.trip", this,
            m -> (long) m.read(endpoint, ChannelStatus::canaryReplies),
            m -> m.read(endpoint, ChannelStatus::canaryRoundTripNanos), TimeUnit.NANOSECONDS)
        .tags(tags)
        .description("The canary's write, from sent to answered by Redis")
        .register(registry);
    FunctionTimer.builder("redisl1.invalidation.staleness", this,
            m -> (long) m.read(endpoint, ChannelStatus::canariesBack),
            m -> m.read(endpoint, ChannelStatus::canaryStalenessNanos), TimeUnit.NANOSECONDS)
        .tags(tags)
        .description("Observed staleness: the canary's write, from sent to its invalidation received on the channel;"
            + " how long a write made elsewhere at that moment could still be answered from this L1")
        .register(registry);
    Gauge.builder("redisl1.invalidation.staleness.last", this,
            m -> m.read(endpoint, s -> s.lastStalenessNanos() < 0 ? Double.NaN : s.lastStalenessNanos() / 1e9))
        .tags(tags)
        .baseUnit("seconds")
        .description("The last canary's write-to-invalidation time (NaN before the first)")
        .register(registry);
  }

  private double read(String endpoint, java.util.function.ToDoubleFunction<ChannelStatus> value) {
    ChannelStatus status = latest.get(endpoint);
    return status == null ? Double.NaN : value.applyAsDouble(status);
  }
}
