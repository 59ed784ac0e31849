package io.redisl1.agent.internal;

import io.redisl1.metrics.MetricsSettings;
import io.redisl1.metrics.OperatorView;
import io.redisl1.store.KeyRule;
import io.redisl1.store.L1Log;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import io.redisl1.store.tracking.InvalidationChannels;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.stream.Collectors;

/** Reads the configuration, starts the L1 and rewrites the clients. Loaded from the bootstrap path. */
public final class AgentInstaller {
  /** How often expired entries are removed; until then they only take up budget, never get served. */
  private static final Duration SWEEP_PERIOD = Duration.ofSeconds(5);

  private AgentInstaller() {}

  public static void install(String args, Instrumentation inst, boolean lateAttach) {
    ConfigSource source = ConfigSource.locate(System.getProperties(), System.getenv());
    String version = AgentVersion.get();
    if (source == null) {
      L1Log.info(
          "redis-l1 " + version + " attached; no configuration (-D" + ConfigSource.PROPERTY + " or "
              + ConfigSource.ENV + "), caching nothing");
      return;
    }
    AgentConfig config;
    MetricsSettings metrics;
    try {
      config = ConfigLoader.load(source.path());
      metrics = MetricsSources.resolve(config.metrics(), System.getProperties());
    } catch (ConfigException | IllegalArgumentException e) {
      L1Log.error(e.getMessage() + "; caching nothing, every command goes to Redis");
      return;
    }
    if (!config.enabled() || !config.rules().cachesAnything()) {
      L1Log.info(
          "redis-l1 " + version + " attached; " + source.path()
              + (config.enabled() ? " enables no prefix" : " sets enabled: false") + ", caching nothing");
      return;
    }
    try {
      L1Store store =
          L1Store.create(
              L1Settings.of(config.maxMemoryBytes(), config.maxValueBytes())
                  .withTtlMargin(config.ttlMargin()));
      store.startSweeper(SWEEP_PERIOD);
      L1Runtime runtime = L1Runtime.start(store, config.rules());
      // Before any client is rewritten: endpoints must wait for their channels from the start.
      runtime.invalidationChannels(InvalidationChannels.install(store, config.rules(), config.invalidation()));
      InstrumentationModules.installAll(inst);
      L1Log.info(startupLine(version, config, lateAttach));
      if (metrics.enabled()) {
        OperatorView.start(metrics, runtime, version);
      }
    } catch (Throwable t) {
      L1Runtime.failed("agent start-up", t);
      L1Log.error("could not install the instrumentation, caching nothing: " + t);
    }
  }

  private static String startupLine(String version, AgentConfig config, boolean lateAttach) {
    String prefixes =
        config.rules().rules().stream()
            .filter(KeyRule::cache)
            .map(KeyRule::toString)
            .collect(Collectors.joining(", "));
    return "redis-l1 " + version + " caching prefixes [" + prefixes + "] in "
        + Sizes.format(config.maxMemoryBytes()) + " (values up to "
        + Sizes.format(config.maxValueBytes()) + "); " + config.invalidation()
        + (lateAttach ? "; attached late: clients loaded before now stay uncached" : "");
  }
}
