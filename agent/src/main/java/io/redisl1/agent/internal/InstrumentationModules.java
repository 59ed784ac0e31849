package io.redisl1.agent.internal;

import io.redisl1.store.L1Log;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * The client instrumentations, each installed on its own so that one that fails to set up leaves
 * the others working. A module is a class with {@code public static AgentBuilder
 * instrument(AgentBuilder)}.
 */
final class InstrumentationModules {
  private static final List<String> MODULES =
      List.of(
          "io.redisl1.instrumentation.jedis.JedisInstrumentationModule",
          "io.redisl1.instrumentation.lettuce.LettuceInstrumentationModule");

  private InstrumentationModules() {}

  static void installAll(Instrumentation inst) {
    for (String module : MODULES) {
      try {
        AgentBuilder builder =
            (AgentBuilder)
                Class.forName(module)
                    .getMethod("instrument", AgentBuilder.class)
                    .invoke(null, AgentBuilders.base());
        builder.installOn(inst);
      } catch (ClassNotFoundException e) {
        L1Log.warn(module + " is not in this agent build; that client runs uncached");
      } catch (Throwable t) {
        L1Log.error("could not install " + module + "; that client runs uncached: " + t);
      }
    }
  }
}
