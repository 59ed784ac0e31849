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
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.FutureTask;
import java.util.stream.Collectors;

/**
 * Reads the configuration, starts the L1 and rewrites the clients. Loaded from the bootstrap path.
 * Premain only installs the {@link ClientClassGate} and starts a daemon thread that does the rest,
 * so the application's {@code main} does not wait for Byte Buddy, YAML, Caffeine or the channels;
 * a client class that loads earlier waits at the gate.
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
    ClientClassGate gate = ClientClassGate.install(inst);
    // A copy: properties the application sets in main must not race with the agent's reading them.
    Properties properties = (Properties) System.getProperties().clone();
    Runnable start = new Starter(gate, inst, lateAttach, properties);
    try {
      Thread starter = new Thread(start, "redis-l1-start");
      starter.setDaemon(true);
      gate.startedBy(starter);
      starter.start();
    } catch (Throwable t) {
      gate.startedBy(null);
      start.run();
    }
  }

  /** A class, not a lambda: the JVM's first lambda costs milliseconds to link, which premain would pay. */
  private static final class Starter implements Runnable {
    private final ClientClassGate gate;
    private final Instrumentation inst;
    private final boolean lateAttach;
    private final Properties properties;

    Starter(ClientClassGate gate, Instrumentation inst, boolean lateAttach, Properties properties) {
      this.gate = gate;
      this.inst = inst;
      this.lateAttach = lateAttach;
      this.properties = properties;
    }

    @Override
    public void run() {
      start(gate, inst, lateAttach, properties, System.getenv());
    }
  }

  /** Lets client classes through the gate unchanged, for good. */
  private static void stayOut(ClientClassGate gate, Instrumentation inst) {
    gate.open(List.of());
    inst.removeTransformer(gate);
  }

  /**
   * Everything the agent does at start, on the {@code redis-l1-start} thread. The gate opens as soon
   * as the transformers are built; what no client class waits for (config watching, the warm-up,
   * metrics) starts after that.
   */
  static void start(ClientClassGate gate, Instrumentation inst, boolean lateAttach, Properties properties, Map<String, String> env) {
    StartupPhases phases = new StartupPhases();
    String version = AgentVersion.get();
    ConfigResolver resolver = new ConfigResolver(properties, env);
    Path file = resolver.file();
    // Byte Buddy's part takes longest and needs no setting: with a file it starts at once, on a
    // thread of its own, while the file is parsed and the L1 comes up.
    StartupPhases hookPhases = new StartupPhases();
    FutureTask<List<ClassFileTransformer>> hooks = file == null ? null : InstrumentationModules.buildInBackground(hookPhases);
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
    phases.mark("config");
    if (file == null) {
      if (problem != null) {
        L1Log.error(problem + "; caching nothing, every command goes to Redis");
        stayOut(gate, inst);
        return;
      }
      if (!config.cachesAnything()) {
        L1Log.info(
            "redis-l1 " + version + " attached; "
                + (resolver.anySource()
                    ? (config.enabled() ? "no prefix enabled" : "enabled: false")
                    : "no configuration (-D" + Settings.CONFIG.property() + " or " + Settings.CONFIG.envVar() + ")")
                + ", caching nothing");
        stayOut(gate, inst);
        return;
      }
      hooks = InstrumentationModules.buildInBackground(hookPhases);
    }
    try {
      L1Store store =
          L1Store.create(
              L1Settings.of(config.maxMemoryBytes(), config.maxValueBytes())
                  .withTtlMargin(config.ttlMargin()));
      store.startSweeper(SWEEP_PERIOD);
      Scripts.trustDeclaredKeys(config.scriptsDeclareKeys());
      AgentBuilders.debug = config.get(Settings.DEBUG);
      L1Runtime runtime = L1Runtime.start(store, config.activeRules(), config.observe());
      phases.mark("store");
      // Before any client is rewritten: endpoints must wait for their channels from the start. They
      // track the cached prefixes only; a reload that caches more re-registers them first (apply).
      InvalidationChannels channels = InvalidationChannels.install(store, config.activeRules(), config.invalidation());
      runtime.invalidationChannels(channels);
      phases.mark("channels");
      List<ClassFileTransformer> transformers = hooks.get();
      phases.mark("waiting for the hooks");
      if (problem != null) {
        L1Log.error(problem + "; caching nothing, every command goes to Redis" + watching(file, config));
      } else {
        L1Log.info(startupLine(version, file, config, lateAttach));
      }
      gate.open(transformers);
      phases.mark("gate open");
      ConfigReloader reloader =
          new ConfigReloader(file, bytes -> resolver.resolve(bytes, file), next -> apply(store, channels, next), config, content, problem);
      reloader.start();
      HitPathWarmup.start(store.settings()); // the hit path compiled before the app's first hits
      MetricsSettings metrics = problem == null ? config.metrics() : metricsWithoutFile(resolver, config);
      if (metrics.enabled()) {
        OperatorView.start(metrics, runtime, channels, version);
      }
      phases.mark("reloader, warm-up and metrics threads");
      if (config.get(Settings.DEBUG)) {
        L1Log.info("start-up on the redis-l1-start thread: " + phases.summary() + "; beside it, redis-l1-hooks: " + hookPhases.summary());
      }
    } catch (Throwable t) {
      L1Runtime.failed("agent start-up", t);
      L1Log.error("could not install the instrumentation, caching nothing: " + t);
    } finally {
      gate.open(List.of()); // a no-op once open; after a failure, no client waits any longer
    }
  }

  /** With an unusable file at start, the endpoint still follows the other sources' settings. */
  private static MetricsSettings metricsWithoutFile(ConfigResolver resolver, AgentConfig defaults) {
    try {
      return resolver.resolve(null, null).metrics();
    } catch (ConfigException e) {
      return defaults.metrics();
    }
  }

  /**
   * Puts a reloaded configuration in force; see {@link L1Runtime#reconfigure}. Prefixes the
   * channels do not track yet are tracked before any rule caches them: until then the endpoints
   * serve and fill nothing ({@link InvalidationChannels#track}).
   */
  static void apply(L1Store store, InvalidationChannels channels, AgentConfig next) {
    if (channels != null) {
      channels.track(next.activeRules());
    }
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
