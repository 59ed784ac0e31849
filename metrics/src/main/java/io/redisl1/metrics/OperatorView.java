package io.redisl1.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redisl1.store.L1Log;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.tracking.InvalidationChannels;
import java.io.IOException;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the operator view of a running L1: the meters in the agent's own Prometheus registry, the
 * HTTP endpoint, the JMX MBean and, when asked, the application's global Micrometer registry.
 *
 * <p>All of it happens on one daemon thread so that the application's start is not held up by
 * loading Micrometer, and so that the HTTP server's threads are daemons too. Any failure costs the
 * operator view only, with one log line: the L1 keeps serving.
 */
public final class OperatorView {
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  /**
   * How often to look for the application's Micrometer, and how many times; once found, how often
   * its rule meters are brought in line with a reload.
   */
  private static final long GLOBAL_PERIOD_SECONDS = 1;
  private static final int GLOBAL_ATTEMPTS = 600;

  private OperatorView() {}

  /**
   * The pages: Prometheus text at /metrics (rules and endpoints brought up to date first), JSON
   * health, and readiness (503 until ready).
   */
  static Map<String, HttpEndpoint.Page> pages(PrometheusMeterRegistry registry, LiveMeters live, Health health) {
    Map<String, HttpEndpoint.Page> pages = new LinkedHashMap<>();
    pages.put("/metrics", new HttpEndpoint.Page(PROMETHEUS_TEXT, () -> {
      live.refresh();
      return registry.scrape() + live.histograms();
    }));
    pages.put("/healthz", new HttpEndpoint.Page("application/json", health::healthJson));
    pages.put("/readyz", new HttpEndpoint.Page("application/json", health::readyJson, health::readyStatus));
    return pages;
  }

  /** Starts in the background with {@code invalidation: ttl}; returns the thread (tests join it). */
  public static Thread start(MetricsSettings settings, L1Runtime runtime, String agentVersion) {
    return start(settings, runtime, null, agentVersion);
  }

  /**
   * Starts in the background; returns the thread (tests join it).
   *
   * @param channels the invalidation channels, null with {@code invalidation: ttl}
   */
  public static Thread start(MetricsSettings settings, L1Runtime runtime, InvalidationChannels channels, String agentVersion) {
    Thread starter = new Thread(() -> startHere(settings, runtime, channels, agentVersion), "redis-l1-metrics-start");
    starter.setDaemon(true);
    starter.start();
    return starter;
  }

  /**
   * On a daemon thread: looks for the application's Micrometer every second for ten minutes, then,
   * once registered there, brings its rule meters in line with the rules in force every second (a
   * reference compared when no reload happened). Any failure ends it with one log line.
   */
  private static void registerGloballyWhenPossible(L1Runtime runtime) {
    ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "redis-l1-metrics-global");
              t.setDaemon(true);
              return t;
            });
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<RuleMeterSet> registered = new AtomicReference<>();
    thread.scheduleWithFixedDelay(
        () -> {
          try {
            RuleMeterSet rules = registered.get();
            if (rules != null) {
              rules.refresh();
            } else if ((rules = AppGlobalRegistry.find(runtime)) != null) {
              registered.set(rules);
            } else if (attempts.incrementAndGet() >= GLOBAL_ATTEMPTS) {
              L1Log.warn("metrics.global-registry: no Micrometer (" + AppGlobalRegistry.metricsClassName()
                  + ") found in the application after " + GLOBAL_ATTEMPTS * GLOBAL_PERIOD_SECONDS + " s; giving up");
              thread.shutdown();
            }
          } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            L1Log.warn("metrics.global-registry: the application's Micrometer Metrics.globalRegistry could not be"
                + " kept up to date; giving up: " + e);
            thread.shutdown();
          }
        },
        0,
        GLOBAL_PERIOD_SECONDS,
        TimeUnit.SECONDS);
  }

  private static void startHere(MetricsSettings settings, L1Runtime runtime, InvalidationChannels channels, String agentVersion) {
    PrometheusMeterRegistry registry;
    LiveMeters live;
    try {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      live = L1Meters.bind(registry, runtime, channels);
    } catch (Throwable t) {
      L1Log.error("metrics could not be set up; the L1 carries on without them: " + t);
      return;
    }
    if (settings.globalRegistry()) {
      registerGloballyWhenPossible(runtime);
    }
    try {
      new L1MBean(runtime).register();
    } catch (Throwable t) {
      L1Log.warn("the JMX MBean " + L1MBean.NAME + " could not be registered: " + t);
    }
    try {
      int port =
          HttpEndpointLoader.jdkHttpServer()
              .start(settings.host(), settings.port(),
                  pages(registry, live, new Health(runtime.store(), channels, agentVersion)));
      L1Log.info("metrics on http://" + settings.host() + ":" + port + "/metrics (also /healthz, /readyz)");
    } catch (BindException e) {
      L1Log.warn(
          "metrics endpoint not started: " + settings.host() + ":" + settings.port() + " cannot be bound ("
              + e.getMessage() + "); the L1 carries on without it");
    } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
      L1Log.warn("metrics endpoint not started on " + settings.host() + ":" + settings.port() + ": " + e
          + "; the L1 carries on without it");
    }
  }
}
