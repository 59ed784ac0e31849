package io.redisl1.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.redisl1.metrics.ClientVersions;
import io.redisl1.store.L1Log;
import io.redisl1.store.L1Runtime;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/** The agent's Byte Buddy settings, shared by every instrumentation module. */
final class AgentBuilders {
  /** The {@code debug} setting: log every class the agent rewrites. */
  static volatile boolean debug;

  private AgentBuilders() {}

  static AgentBuilder base() {
    return new AgentBuilder.Default()
        // Advice adds fields, which only a class being loaded may get: never retransform.
        .with(AgentBuilder.RedefinitionStrategy.DISABLED)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        .with(new FailureListener())
        // Clients never live on the bootstrap path (the JDK and this agent do): skip those cheaply.
        .ignore(any(), isBootstrapClassLoader())
        .or(nameStartsWith("io.redisl1.").or(nameStartsWith("net.bytebuddy.")).or(isSynthetic()));
  }

  /**
   * A class that cannot be rewritten loads unchanged. The hooks of a client only keep the L1 fresh
   * together (a hit path without its invalidation would serve stale values), so one failed class
   * turns the whole L1 off: every client then runs as without the agent.
   */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      L1Runtime.failed("instrumenting " + typeName, error);
    }

    @Override
    public void onTransformation(
        TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
      ClientVersions.instrumented(type.getName(), loader);
      if (debug) {
        L1Log.info("instrumented " + type.getName());
      }
    }
  }
}
