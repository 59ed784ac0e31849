package io.redisl1.metrics;

import io.redisl1.store.L1Stats;
import io.redisl1.store.L1Store;
import io.redisl1.store.tracking.ChannelStatus;
import io.redisl1.store.tracking.InvalidationChannels;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bodies of {@code /healthz} and {@code /readyz}. Health is 200 whenever the agent is
 * initialised, even with the L1 switched off after a failure: the agent then passes every command
 * to Redis, so an unhealthy L1 must never get the application's pod killed.
 *
 * <p>Readiness is 200 at once with {@code invalidation: ttl}; with {@code tracking}, once every
 * endpoint seen so far had its invalidation channel confirmed (see {@link
 * InvalidationChannels#ready}), 503 until then.
 */
final class Health {
  static final int READY = 200;
  static final int NOT_READY = 503;

  private final L1Store store;
  private final InvalidationChannels channels;
  private final String agentVersion;
  private final long startedNanos = System.nanoTime();

  /** @param channels null with {@code invalidation: ttl} */
  Health(L1Store store, InvalidationChannels channels, String agentVersion) {
    this.store = store;
    this.channels = channels;
    this.agentVersion = agentVersion;
  }

  String healthJson() {
    L1Stats stats = store.stats();
    StringBuilder json = new StringBuilder(480);
    json.append("{\"status\":\"UP\"")
        .append(",\"l1\":\"").append(L1Meters.enabled(store) ? "on" : "off: pass-through after an internal failure").append('"')
        .append(",\"invalidation\":\"").append(mode()).append('"')
        .append(",\"entries\":").append(store.estimatedEntries())
        .append(",\"bytesUsed\":").append(store.weightedSize())
        .append(",\"bytesBudget\":").append(store.settings().maxMemoryBytes())
        .append(",\"hits\":").append(stats.hits())
        .append(",\"misses\":").append(stats.misses())
        .append(",\"hitRate\":").append(String.format(Locale.ROOT, "%.4f", stats.hitRate()))
        .append(",\"uptimeSeconds\":").append((System.nanoTime() - startedNanos) / 1_000_000_000L);
    if (channels != null) {
      json.append(",\"ready\":").append(channels.ready());
      json.append(",\"channels\":[");
      List<ChannelStatus> statuses = channels.statuses();
      for (int i = 0; i < statuses.size(); i++) {
        channel(json.append(i == 0 ? "" : ","), statuses.get(i));
      }
      json.append(']');
    }
    json.append(",\"agentVersion\":");
    string(json, agentVersion);
    json.append(",\"clients\":{");
    boolean first = true;
    for (Map.Entry<String, String> client : ClientVersions.versions().entrySet()) {
      if (!first) {
        json.append(',');
      }
      first = false;
      string(json, client.getKey());
      json.append(':');
      string(json, client.getValue());
    }
    return json.append("}}").toString();
  }

  /** One endpoint's channel; times in milliseconds, -1 before the first canary. */
  private static void channel(StringBuilder json, ChannelStatus s) {
    json.append("{\"endpoint\":");
    string(json, s.endpoint());
    json.append(",\"state\":\"").append(s.state()).append('"');
    if (s.withoutChannelBecause() != null) {
      json.append(",\"why\":");
      string(json, s.withoutChannelBecause());
    }
    json.append(",\"confirmations\":").append(s.confirmations())
        .append(",\"losses\":").append(s.losses())
        .append(",\"canaryRoundTripMillis\":").append(millis(s.lastRoundTripNanos()))
        .append(",\"stalenessMillis\":").append(millis(s.lastStalenessNanos()))
        .append(",\"meanStalenessMillis\":")
        .append(s.canariesBack() == 0 ? "-1" : millis(s.canaryStalenessNanos() / s.canariesBack()))
        .append('}');
  }

  private static String millis(long nanos) {
    return nanos < 0 ? "-1" : String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  /** The status that goes with the last {@link #readyJson}, so body and status always agree. */
  int readyStatus() {
    return lastReady ? READY : NOT_READY;
  }

  private volatile boolean lastReady;

  String readyJson() {
    if (channels == null) {
      lastReady = true;
      return "{\"status\":\"READY\",\"invalidation\":\"ttl\"}";
    }
    boolean ready = channels.ready();
    lastReady = ready;
    StringBuilder json = new StringBuilder(160);
    json.append("{\"status\":\"").append(ready ? "READY" : "NOT_READY").append('"')
        .append(",\"invalidation\":\"tracking\",\"channels\":{");
    List<ChannelStatus> statuses = channels.statuses();
    for (int i = 0; i < statuses.size(); i++) {
      json.append(i == 0 ? "" : ",");
      string(json, statuses.get(i).endpoint());
      json.append(":\"").append(statuses.get(i).state()).append('"');
    }
    return json.append("}}").toString();
  }

  private String mode() {
    return channels == null ? "ttl" : "tracking";
  }

  private static void string(StringBuilder json, String s) {
    json.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    json.append('"');
  }
}
