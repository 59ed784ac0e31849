package io.redisl1.metrics;

import io.redisl1.store.L1Log;
import io.redisl1.store.L1Runtime;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Registers the L1's figures in the application's own {@code
 * io.micrometer.core.instrument.Metrics.globalRegistry} ({@code metrics.global-registry: true}),
 * so that, say, Spring Boot's actuator shows them. The application's Micrometer is not ours (ours
 * is relocated), so this goes through reflection on the application's class loader, with JDK types
 * only crossing over. The application's Micrometer may not be loadable yet when the agent starts
 * (a Spring Boot fat jar builds its class loader later): {@link #tryRegister} is retried until it
 * succeeds.
 */
final class AppGlobalRegistry {
  /**
   * The application's package, joined at run time: the agent jar's shading rewrites every string
   * constant naming it (even "io.micrometer" alone) to our relocated copy, which is exactly the
   * registry this class must not use.
   */
  private static final String APP_MICROMETER = String.join(".", "io", "micrometer");

  private static final String METRICS = appClass(".core.instrument.Metrics");

  private AppGlobalRegistry() {}

  /**
   * @return true once registered (or there is nothing more to try), false to try again later
   */
  static boolean tryRegister(L1Runtime runtime) {
    ClassLoader loader = loaderWithMicrometer();
    if (loader == null) {
      return false;
    }
    try {
      Object global = Class.forName(METRICS, true, loader).getField("globalRegistry").get(null);
      Class<?> registryType = Class.forName(appClass(".core.instrument.MeterRegistry"), false, loader);
      Class<?> counter = Class.forName(appClass(".core.instrument.FunctionCounter"), false, loader);
      Class<?> gauge = Class.forName(appClass(".core.instrument.Gauge"), false, loader);
      Method counterBuilder = counter.getMethod("builder", String.class, Object.class, ToDoubleFunction.class);
      Method gaugeBuilder = gauge.getMethod("builder", String.class, Object.class, ToDoubleFunction.class);
      List<Figure> figures = L1Meters.figures(runtime);
      for (Figure f : figures) {
        Object builder =
            (f.kind == Figure.Kind.COUNTER ? counterBuilder : gaugeBuilder).invoke(null, f.name, f.source, f.value);
        Class<?> b = builder.getClass();
        b.getMethod("tags", String[].class).invoke(builder, (Object) f.tags);
        b.getMethod("description", String.class).invoke(builder, f.description);
        if (f.baseUnit != null) {
          b.getMethod("baseUnit", String.class).invoke(builder, f.baseUnit);
        }
        b.getMethod("register", registryType).invoke(builder, global);
      }
      L1Log.info("registered " + figures.size() + " meters in the application's Micrometer Metrics.globalRegistry");
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      L1Log.warn("could not register in the application's Micrometer Metrics.globalRegistry: " + e);
    }
    return true;
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
