package io.redisl1.agent.internal;

import io.redisl1.store.L1Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The client instrumentations, each built on its own so that one that fails to set up leaves the
 * others working. A module is a class with {@code public static AgentBuilder
 * instrument(AgentBuilder)} (and, optionally, {@code instrumentAdviceOnly(AgentBuilder)}); its types
 * must live in {@link ClientClassGate}'s client packages.
 */
final class InstrumentationModules {
  private static final List<String> MODULES =
      List.of(
          "io.redisl1.instrumentation.jedis.JedisInstrumentationModule",
          "io.redisl1.instrumentation.lettuce.LettuceInstrumentationModule");

  private InstrumentationModules() {}

  /** Builds the transformers on a daemon thread of their own ({@code redis-l1-hooks}). */
  static FutureTask<List<ClassFileTransformer>> buildInBackground(StartupPhases phases) {
    FutureTask<List<ClassFileTransformer>> task = new FutureTask<>(() -> transformers(phases));
    try {
      Thread thread = new Thread(task, "redis-l1-hooks");
      thread.setDaemon(true);
      thread.start();
    } catch (Throwable t) {
      task.run();
    }
    return task;
  }

  /** One transformer per module that could be set up; installed by {@link ClientClassGate}. */
  static List<ClassFileTransformer> transformers(StartupPhases phases) {
    List<ClassFileTransformer> transformers = new ArrayList<>();
    for (String module : MODULES) {
      try {
        Class<?> type = Class.forName(module);
        AgentBuilder builder =
            (AgentBuilder) type.getMethod("instrument", AgentBuilder.class).invoke(null, AgentBuilders.base());
        transformers.add(builder.makeRaw());
        Method adviceOnly = adviceOnlyOf(type);
        if (adviceOnly != null) {
          transformers.add(((AgentBuilder) adviceOnly.invoke(null, AgentBuilders.adviceOnly())).makeRaw());
        }
        phases.mark(module.substring(module.lastIndexOf('.') + 1).replace("InstrumentationModule", ""));
      } catch (ClassNotFoundException e) {
        L1Log.warn(module + " is not in this agent build; that client runs uncached");
      } catch (Throwable t) {
        L1Log.error("could not install " + module + "; that client runs uncached: " + t);
      }
    }
    return transformers;
  }

  /**
   * A module's optional {@code public static AgentBuilder instrumentAdviceOnly(AgentBuilder)}: types
   * that only get advice (no field, no interface), rewritten with {@link AgentBuilders#adviceOnly}.
   */
  private static Method adviceOnlyOf(Class<?> module) {
    try {
      return module.getMethod("instrumentAdviceOnly", AgentBuilder.class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
