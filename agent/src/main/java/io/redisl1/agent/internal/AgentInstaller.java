package io.redisl1.agent.internal;

import io.redisl1.metrics.MetricsSettings;
import io.redisl1.metrics.OperatorView;
import io.redisl1.store.HitPathWarmup;
import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Log;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.L1Settings;
import io.redisl1.store.L1Store;
import io.redisl1.store.tracking.InvalidationChannels;
import io.redisl1.store.command.Scripts;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Reads the configuration, starts the L1 and rewrites the clients. Loaded from the bootstrap path.
 *
 * <p>With a configuration file the hooks are always installed, even when the file enables nothing,
 * says {@code enabled: false} or cannot be used: the file is watched, and a later version may turn
 * caching on. Without a file (settings from the environment or system properties only, which
 * cannot change) the agent installs only if they enable a prefix.
 */
public final class AgentInstaller {
  /** How often expired entries are removed; until then they only take up budget, never get served. */
  private static final Duration SWEEP_PERIOD = Duration.ofSeconds(5);

  private AgentInstaller() {}

  public static void install(String args, Instrumentation inst, boolean lateAttach) {
    install(inst, lateAttach, System.getProperties(), System.getenv());
  }

  static void install(Instrumentation inst, boolean lateAttach, Properties properties, Map<String, String> env) {
    String version = AgentVersion.get();
    ConfigResolver resolver = new ConfigResolver(properties, env);
    Path file = resolver.file();
    byte[] content = null;
    AgentConfig config;
    String problem = null;
    try {
      content = file == null ? null : ConfigResolver.read(file);
      config = resolver.resolve(content, file);
    } catch (ConfigException e) {
      problem = e.getMessage();
      config = AgentConfig.defaults();
    }
    if (file == null) {
      if (problem != null) {
        L1Log.error(problem + "; caching nothing, every command goes to Redis");
        return;
      }
      if (!config.cachesAnything()) {
        L1Log.info(
            "redis-l1 " + version + " attached; "
                + (resolver.anySource()
                    ? (config.enabled() ? "no prefix enabled" : "enabled: false")
                    : "no configuration (-D" + Settings.CONFIG.property() + " or " + Settings.CONFIG.envVar() + ")")
                + ", caching nothing");
        return;
      }
    }
    try {
      L1Store store =
          L1Store.create(
              L1Settings.of(config.maxMemoryBytes(), config.maxValueBytes())
                  .withTtlMargin(config.ttlMargin()));
      store.startSweeper(SWEEP_PERIOD);
      HitPathWarmup.start(store.settings()); // the hit path compiled before the app's first hits
      Scripts.trustDeclaredKeys(config.scriptsDeclareKeys());
      AgentBuilders.debug = config.get(Settings.DEBUG);
      L1Runtime runtime = L1Runtime.start(store, config.activeRules(), config.observe());
      // Before any client is rewritten: endpoints must wait for their channels from the start. A
      // reload may add prefixes, so with reloads on the channels track every key.
      InvalidationChannels channels = InvalidationChannels.install(store, trackedBy(file, config), config.invalidation());
      runtime.invalidationChannels(channels);
      InstrumentationModules.installAll(inst);
      ConfigReloader reloader =
          new ConfigReloader(file, bytes -> resolver.resolve(bytes, file), next -> apply(store, next), config, content, problem);
      reloader.start();
      if (problem != null) {
        L1Log.error(problem + "; caching nothing, every command goes to Redis" + watching(file, config));
      } else {
        L1Log.info(startupLine(version, file, config, lateAttach));
      }
      MetricsSettings metrics = problem == null ? config.metrics() : metricsWithoutFile(resolver, config);
      if (metrics.enabled()) {
        OperatorView.start(metrics, runtime, channels, version);
      }
    } catch (Throwable t) {
      L1Runtime.failed("agent start-up", t);
      L1Log.error("could not install the instrumentation, caching nothing: " + t);
    }
  }

  /** The rules whose prefixes the invalidation channels track: all keys while the file is polled. */
  private static KeyRules trackedBy(Path file, AgentConfig config) {
    if (file != null && !config.get(Settings.RELOAD_INTERVAL).isZero()) {
      return KeyRules.of(java.util.List.of(KeyRule.cached("", config.defaultTtl(), false)));
    }
    return config.activeRules();
  }

  /** With an unusable file at start, the endpoint still follows the other sources' settings. */
  private static MetricsSettings metricsWithoutFile(ConfigResolver resolver, AgentConfig defaults) {
    try {
      return resolver.resolve(null, null).metrics();
    } catch (ConfigException e) {
      return defaults.metrics();
    }
  }

  /** Puts a reloaded configuration in force; see {@link L1Runtime#reconfigure}. */
  static void apply(L1Store store, AgentConfig next) {
    store.resize(next.maxMemoryBytes(), next.maxValueBytes());
    Scripts.trustDeclaredKeys(next.scriptsDeclareKeys());
    AgentBuilders.debug = next.get(Settings.DEBUG);
    L1Runtime.reconfigure(next.activeRules(), next.observe());
  }

  private static String watching(Path file, AgentConfig config) {
    Duration poll = config.get(Settings.RELOAD_INTERVAL);
    return file == null || poll.isZero() ? "" : " until " + file + " changes (read every " + Durations.format(poll) + ")";
  }

  private static String startupLine(String version, Path file, AgentConfig config, boolean lateAttach) {
    String where = file == null ? "" : "; reading " + file + " every " + config.show(Settings.RELOAD_INTERVAL);
    String late = lateAttach ? "; attached late: clients loaded before now stay uncached" : "";
    if (!config.cachesAnything()) {
      return "redis-l1 " + version + " attached; "
          + (config.enabled() ? (file == null ? "" : file + " ") + "enables no prefix" : "enabled: false")
          + ", caching nothing" + where + late;
    }
    String prefixes =
        config.activeRules().rules().stream()
            .filter(KeyRule::cache)
            .map(KeyRule::toString)
            .collect(Collectors.joining(", "));
    return "redis-l1 " + version + (config.observe() ? " observing" : " caching") + " prefixes [" + prefixes + "] in "
        + Sizes.format(config.maxMemoryBytes()) + " (values up to " + Sizes.format(config.maxValueBytes()) + ")"
        + (config.observe() ? "; mode: observe, every GET goes to Redis" : "")
        + (config.scriptsDeclareKeys() ? "; scripts invalidate their declared keys" : "")
        + "; " + config.invalidation() + where + late;
  }
}
