package io.redisl1.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;

import io.redisl1.metrics.ClientVersions;
import io.redisl1.store.L1Log;
import io.redisl1.store.L1Runtime;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/** The agent's Byte Buddy settings, shared by every instrumentation module. */
final class AgentBuilders {
  /** The {@code debug} setting: log every class the agent rewrites (and the start's phases). */
  static volatile boolean debug;

  private AgentBuilders() {}

  static AgentBuilder base() {
    return base(byteBuddy());
  }

  private static AgentBuilder base(ByteBuddy byteBuddy) {
    return withoutNexus(byteBuddy)
        // Advice adds fields, which only a class being loaded may get: never retransform.
        .with(AgentBuilder.RedefinitionStrategy.DISABLED)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        .with(new FailureListener())
        // Only client classes get here (ClientClassGate), and the modules match them by name: no
        // matcher that would parse the class file of every other class of the client.
        .ignore(any(), isBootstrapClassLoader());
  }

  /**
   * As {@link #base}, for types that only get advice: their method graph is built from their
   * declared methods alone. {@code Jedis} and {@code UnifiedJedis} implement dozens of command
   * interfaces with thousands of methods, whose full graph cost most of the ~0.55 s their rewriting
   * added to the first {@code new Jedis()}; advice never needs it (it is inlined into declared
   * methods). Not for types that implement an interface: its accessors would be left out.
   */
  static AgentBuilder adviceOnly() {
    return base(byteBuddy().with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE));
  }

  /**
   * Byte Buddy without its own validation of each rewritten class (the JVM verifies it anyway):
   * {@code Jedis}, {@code UnifiedJedis} and {@code Connection} have hundreds of methods each,
   * rewritten on the application's thread.
   */
  private static ByteBuddy byteBuddy() {
    return new ByteBuddy().with(TypeValidation.DISABLED);
  }

  /**
   * A default builder whose Nexus is switched off. Byte Buddy's default initialization strategy sets
   * up a Nexus (a class injected into the system class loader, for initializers of generated
   * types) as soon as a builder is made: more than half of the agent's start went there, and
   * inlined advice and field accessors never use it. Byte Buddy reads the switch once, when the
   * Nexus class initializes; after shading the property name is ours alone.
   */
  private static AgentBuilder withoutNexus(ByteBuddy byteBuddy) {
    String property = "net.bytebuddy.nexus.disabled";
    String before = System.getProperty(property);
    System.setProperty(property, "true");
    try {
      return new AgentBuilder.Default(byteBuddy).with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE);
    } finally {
      if (before == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, before);
      }
    }
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
