package io.redisl1.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Settings of the operator view. Every metrics setting is parsed here and only here, whatever its
 * source (the config file's {@code metrics:} mapping, {@code -Dredisl1.metrics.*}), so that a
 * further source adds a loop over {@link #KEYS}, not a parser.
 */
public final class MetricsSettings {
  /** The keys under {@code metrics:} in the config file; the system property is {@code redisl1.metrics.<key>}. */
  public static final List<String> KEYS = List.of("enabled", "port", "host", "global-registry");

  public static final String PROPERTY_PREFIX = "redisl1.metrics.";
  public static final int DEFAULT_PORT = 9477;
  public static final String DEFAULT_HOST = "0.0.0.0";

  private final boolean enabled;
  private final int port;
  private final String host;
  private final boolean globalRegistry;

  private MetricsSettings(boolean enabled, int port, String host, boolean globalRegistry) {
    this.enabled = enabled;
    this.port = port;
    this.host = host;
    this.globalRegistry = globalRegistry;
  }

  public static MetricsSettings defaults() {
    return new Builder().build();
  }

  public boolean enabled() {
    return enabled;
  }

  /** 0 asks the system for any free port. */
  public int port() {
    return port;
  }

  public String host() {
    return host;
  }

  public boolean globalRegistry() {
    return globalRegistry;
  }

  /** Collects settings, later ones winning; {@link #set} rejects a bad value with what was expected. */
  public static final class Builder {
    private boolean enabled = true;
    private int port = DEFAULT_PORT;
    private String host = DEFAULT_HOST;
    private boolean globalRegistry = false;

    /**
     * @throws IllegalArgumentException naming what was expected, for the caller to prefix with
     *     where the value came from
     */
    public Builder set(String key, String value) {
      String v = value == null ? "" : value.trim();
      switch (key) {
        case "enabled":
          enabled = bool(v);
          break;
        case "port":
          port = port(v);
          break;
        case "host":
          if (v.isEmpty()) {
            throw new IllegalArgumentException("expected a host name or address to listen on, got ''");
          }
          host = v;
          break;
        case "global-registry":
          globalRegistry = bool(v);
          break;
        default:
          throw new IllegalArgumentException("unknown key; expected one of " + KEYS);
      }
      return this;
    }

    public MetricsSettings build() {
      return new MetricsSettings(enabled, port, host, globalRegistry);
    }

    private static boolean bool(String v) {
      String lower = v.toLowerCase(Locale.ROOT);
      if (lower.equals("true") || lower.equals("false")) {
        return Boolean.parseBoolean(lower);
      }
      throw new IllegalArgumentException("expected true or false, got '" + v + "'");
    }

    private static int port(String v) {
      try {
        int p = Integer.parseInt(v);
        if (p >= 0 && p <= 65535) {
          return p;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new IllegalArgumentException("expected a port from 0 (any free port) to 65535, got '" + v + "'");
    }
  }
}
