package io.redisl1.metrics;

import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Stats;
import io.redisl1.store.L1Store;
import java.util.Locale;
import java.util.Map;

/**
 * The bodies of {@code /healthz} and {@code /readyz}. Health is 200 whenever the agent is
 * initialised, even with the L1 switched off after a failure: the agent then passes every command
 * to Redis, so an unhealthy L1 must never get the application's pod killed.
 *
 * <p>Until invalidation channels exist the only mode is {@code invalidation: ttl} (entries written
 * elsewhere are bounded by their rule's TTL), so the L1 is ready at once; per-endpoint channel
 * state joins both bodies with the invalidation channel work.
 */
final class Health {
  private final L1Runtime runtime;
  private final String agentVersion;
  private final long startedNanos = System.nanoTime();

  Health(L1Runtime runtime, String agentVersion) {
    this.runtime = runtime;
    this.agentVersion = agentVersion;
  }

  String healthJson() {
    L1Store store = runtime.store();
    L1Stats stats = store.stats();
    boolean on = L1Runtime.current() == runtime;
    StringBuilder json = new StringBuilder(320);
    json.append("{\"status\":\"UP\"")
        .append(",\"l1\":\"").append(on ? "on" : "off: pass-through after an internal failure").append('"')
        .append(",\"invalidation\":\"ttl\"")
        .append(",\"entries\":").append(store.estimatedEntries())
        .append(",\"bytesUsed\":").append(store.weightedSize())
        .append(",\"bytesBudget\":").append(store.settings().maxMemoryBytes())
        .append(",\"hits\":").append(stats.hits())
        .append(",\"misses\":").append(stats.misses())
        .append(",\"hitRate\":").append(String.format(Locale.ROOT, "%.4f", stats.hitRate()))
        .append(",\"uptimeSeconds\":").append((System.nanoTime() - startedNanos) / 1_000_000_000L)
        .append(",\"agentVersion\":");
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

  String readyJson() {
    return "{\"status\":\"READY\",\"invalidation\":\"ttl\"}";
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
