package io.redisl1.metrics;

import io.redisl1.store.L1Log;
import io.redisl1.store.L1Runtime;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The application's own {@code io.micrometer.core.instrument.Metrics.globalRegistry} ({@code
 * metrics.global-registry: true}), so that, say, Spring Boot's actuator shows the L1's figures.
 * The application's Micrometer is not ours (ours is relocated), so this goes through reflection on
 * the application's class loader, with JDK types only crossing over. The application's Micrometer
 * may not be loadable yet when the agent starts (a Spring Boot fat jar builds its class loader
 * later): {@link #find} is retried until it succeeds. The rules' meters then follow reloads
 * through a {@link RuleMeterSet}, as in the agent's own registry.
 */
final class AppGlobalRegistry implements MeterSink {
  /**
   * The application's package, joined at run time: the agent jar's shading rewrites every string
   * constant naming it (even "io.micrometer" alone) to our relocated copy, which is exactly the
   * registry this class must not use.
   */
  private static final String APP_MICROMETER = String.join(".", "io", "micrometer");

  private static final String METRICS = appClass(".core.instrument.Metrics");

  private final Object global;
  private final Class<?> registryType;
  private final Method counterBuilder;
  private final Method gaugeBuilder;
  private final Method remove;

  private AppGlobalRegistry(ClassLoader loader) throws ReflectiveOperationException {
    global = Class.forName(METRICS, true, loader).getField("globalRegistry").get(null);
    registryType = Class.forName(appClass(".core.instrument.MeterRegistry"), false, loader);
    Class<?> counter = Class.forName(appClass(".core.instrument.FunctionCounter"), false, loader);
    Class<?> gauge = Class.forName(appClass(".core.instrument.Gauge"), false, loader);
    counterBuilder = counter.getMethod("builder", String.class, Object.class, ToDoubleFunction.class);
    gaugeBuilder = gauge.getMethod("builder", String.class, Object.class, ToDoubleFunction.class);
    remove = registryType.getMethod("remove", Class.forName(appClass(".core.instrument.Meter"), false, loader));
  }

  /**
   * The application's global registry with the store's figures registered in it, and its rules'
   * meters in a set to {@link RuleMeterSet#refresh} as rules change; null while the application's
   * Micrometer cannot be loaded yet.
   *
   * @throws ReflectiveOperationException if it can be loaded but not used (give up)
   */
  static RuleMeterSet find(L1Runtime runtime) throws ReflectiveOperationException {
    ClassLoader loader = loaderWithMicrometer();
    if (loader == null) {
      return null;
    }
    AppGlobalRegistry app = new AppGlobalRegistry(loader);
    List<Figure> figures = L1Meters.storeFigures(runtime);
    for (Figure f : figures) {
      app.register(f);
    }
    RuleMeterSet rules = new RuleMeterSet(app, runtime);
    rules.refresh();
    L1Log.info("registered " + figures.size() + " meters and those of the caching rules in the application's Micrometer"
        + " Metrics.globalRegistry");
    return rules;
  }

  @Override
  public Object register(Figure f) throws ReflectiveOperationException {
    Object builder = (f.kind == Figure.Kind.COUNTER ? counterBuilder : gaugeBuilder).invoke(null, f.name, f.source, f.value);
    Class<?> b = builder.getClass();
    b.getMethod("tags", String[].class).invoke(builder, (Object) f.tags);
    b.getMethod("description", String.class).invoke(builder, f.description);
    if (f.baseUnit != null) {
      b.getMethod("baseUnit", String.class).invoke(builder, f.baseUnit);
    }
    return b.getMethod("register", registryType).invoke(builder, global);
  }

  @Override
  public void remove(Object meter) throws ReflectiveOperationException {
    remove.invoke(global, meter);
  }

  private static String appClass(String rest) {
    return APP_MICROMETER + rest;
  }

  static String metricsClassName() {
    return METRICS;
  }

  /** The loader of the instrumented Redis client, else the system loader, if either sees Micrometer. */
  private static ClassLoader loaderWithMicrometer() {
    for (ClassLoader candidate : new ClassLoader[] {ClientVersions.anyClientLoader(), ClassLoader.getSystemClassLoader()}) {
      if (candidate != null && candidate.getResource(METRICS.replace('.', '/') + ".class") != null) {
        return candidate;
      }
    }
    return null;
  }
}
